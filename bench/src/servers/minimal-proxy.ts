/**
 * The physical limit of a Node proxy: node:http in, a pooled keep-alive node:http agent out, no
 * auth, no parsing. PORT (listen) and UPSTREAM (base URL) from the environment.
 */
import http from 'node:http';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:8081');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade']);

const server = http.createServer((req, res) => {
  const headers: http.OutgoingHttpHeaders = {};
  for (const name in req.headers) if (!HOP.has(name)) headers[name] = req.headers[name];
  const out = http.request(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    },
    (reply) => {
      const back: http.OutgoingHttpHeaders = {};
      for (const name in reply.headers) if (!HOP.has(name)) back[name] = reply.headers[name];
      res.writeHead(reply.statusCode ?? 502, back);
      reply.pipe(res);
    },
  );
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(out);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 8082), '127.0.0.1', () => {
  console.log(`minimal-proxy listening on http://127.0.0.1:${Number(process.env.PORT ?? 8082)}`);
});
// Exit normally on SIGTERM, so that `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
