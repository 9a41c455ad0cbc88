import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server started for a test: its base URL and a way to stop it. */
export interface ListeningServer {
  baseUrl: string;
  close(): Promise<void>;
  /** The underlying Node server. */
  httpServer: Server;
}

/**
 * Starts anything with a Node-style `listen(port, host)` (an Express or Koa app, an
 * `http.Server`) on an ephemeral loopback port and waits until it listens.
 *
 * @example
 * ```ts
 * const { baseUrl, close } = await listenOnLoopback(app);
 * await fetch(`${baseUrl}/v1/models`);
 * await close();
 * ```
 */
export async function listenOnLoopback(app: {
  listen(port: number, host: string): Server;
}): Promise<ListeningServer> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  return {
    httpServer: server,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
