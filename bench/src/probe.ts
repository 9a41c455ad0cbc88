/** Single requests sent before the load, so a misconfigured row fails loudly instead of benchmarking 401s. */
import { REQUEST_BODY, REQUEST_HEADERS } from './load/load-types.js';
import type { Probe } from './results.js';

/**
 * Sends one `POST /v1/messages` with `apiKey` and returns its status.
 *
 * @example
 * ```ts
 * const status = await probeStatus(server.origin, server.apiKey);
 * ```
 */
export async function probeStatus(origin: string, apiKey: string): Promise<number> {
  const response = await fetch(`${origin}/v1/messages`, {
    method: 'POST',
    headers: { ...REQUEST_HEADERS, 'x-api-key': apiKey },
    body: REQUEST_BODY,
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Probes a list of named keys and reports each status beside the expected one.
 *
 * @example
 * ```ts
 * const probes = await probeAll(origin, [{ name: 'valid', apiKey, expected: 200 }]);
 * ```
 */
export async function probeAll(
  origin: string,
  cases: ReadonlyArray<{ name: string; apiKey: string; expected: number }>,
): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const c of cases)
    probes.push({
      name: c.name,
      status: await probeStatus(origin, c.apiKey),
      expected: c.expected,
    });
  return probes;
}

/**
 * Reads the bench debug endpoint of a claude-auth Express server (`/__bench/stats`, or
 * `/__bench/gc` to collect garbage first).
 *
 * @example
 * ```ts
 * const { lookups } = await benchStats(server.origin);
 * ```
 */
export async function benchStats(
  origin: string,
  gc = false,
): Promise<{ lookups: number; rss: number; heapUsed: number }> {
  const response = await fetch(`${origin}/__bench/${gc ? 'gc' : 'stats'}`);
  return (await response.json()) as { lookups: number; rss: number; heapUsed: number };
}
