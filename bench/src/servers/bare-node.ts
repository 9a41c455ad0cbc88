/** Row `bare-node`: plain `node:http`, no authentication. The ceiling for every other row. */
import { readJsonBody, REPLY_JSON, serve } from './shared.js';

await serve((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/messages') {
    res.writeHead(404).end();
    return;
  }
  readJsonBody(req).then(
    () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(REPLY_JSON);
    },
    () => res.writeHead(400).end(),
  );
});
