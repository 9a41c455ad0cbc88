import net from 'node:net';

/**
 * What the proxy does with traffic:
 * - `forward`: both directions pass (a healthy server);
 * - `hold`: nothing passes either way, connections stay open (a hung server, a partition);
 * - `drop-replies`: requests reach the server but its replies are discarded (a write that
 *   commits while its caller times out);
 * - `refuse`: open connections are reset and new ones are closed at once (a server restarting).
 */
export type ProxyMode = 'forward' | 'hold' | 'drop-replies' | 'refuse';

/** A TCP proxy a test controls, e.g. between a store and the shared PostgreSQL. */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a random loopback port forwarding to `target`. Held data is kept and
 * delivered when the mode returns to `forward`; dropped replies are gone.
 *
 * @example
 * ```ts
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
 * proxy.setMode('hold'); // PostgreSQL "hangs" for this test's connections only
 * ```
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  let accepted = 0;
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();

  const server = net.createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, server: upstream };
    pairs.add(pair);
    const held: { up: Buffer[]; down: Buffer[] } = { up: [], down: [] };
    const flush = (): void => {
      for (const chunk of held.up.splice(0)) upstream.write(chunk);
      for (const chunk of held.down.splice(0)) client.write(chunk);
    };
    (pair as { flush?: () => void }).flush = flush;
    client.on('data', (chunk: Buffer) => {
      if (mode === 'forward' || mode === 'drop-replies') upstream.write(chunk);
      else held.up.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode === 'forward') client.write(chunk);
      else if (mode === 'hold') held.down.push(chunk);
      // drop-replies: discarded
    });
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    get accepted() {
      return accepted;
    },
    setMode(next: ProxyMode) {
      mode = next;
      if (next === 'refuse') {
        for (const pair of pairs) {
          pair.client.resetAndDestroy();
          pair.server.destroy();
        }
        pairs.clear();
      }
      if (next === 'forward') {
        for (const pair of pairs) (pair as { flush?: () => void }).flush?.();
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
