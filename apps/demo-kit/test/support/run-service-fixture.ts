// A process around runService with a plain HTTP server whose close takes a while, so a second
// signal arrives mid-shutdown. Spawned by test/run-service.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runService } from '../../src/run-service.js';

await runService(
  async (config) => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      close: () =>
        new Promise<void>((resolve) => setTimeout(() => server.close(() => resolve()), 300)),
    };
  },
  { name: 'fixture' },
);
