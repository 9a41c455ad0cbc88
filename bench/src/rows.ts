/**
 * The benchmark rows: which server each starts, what load it receives, which rows it is compared
 * with, and the target ratio from the issue.
 */

/** A ratio a row must reach against another row (median of per-round paired ratios). */
export interface RowTarget {
  /** The row compared against. */
  against: string;
  /** Minimum ratio of req/s. */
  min: number;
}

/** One row of the table. */
export interface RowSpec {
  id: string;
  /** Shown in the table. */
  label: string;
  /** `src/servers/<server>.ts` */
  server: string;
  /** `valid`: the server's valid key on every request; `flood`: rotating invalid keys. */
  load: 'valid' | 'flood';
  /** The bare framework row to compare with. */
  bare?: string;
  /** The peer stack row to compare with. */
  peer?: string;
  target?: RowTarget;
  /**
   * The checkout whose `bench/src/servers` this row runs (`--baseline`); absent: this checkout.
   */
  root?: string;
  /** Set on a `--baseline` twin: the id of the row it is the "before" build of. */
  baselineOf?: string;
}

/** Every row, in table order. */
export const ROWS: readonly RowSpec[] = [
  { id: 'bare-node', label: 'bare node:http', server: 'bare-node', load: 'valid' },
  {
    id: 'bare-express',
    label: 'bare Express 5',
    server: 'bare-express',
    load: 'valid',
    bare: 'bare-node',
  },
  { id: 'bare-koa', label: 'bare Koa 3', server: 'bare-koa', load: 'valid', bare: 'bare-node' },
  {
    id: 'bare-nest-express',
    label: 'bare NestJS (Express)',
    server: 'bare-nest-express',
    load: 'valid',
    bare: 'bare-express',
  },
  {
    id: 'bare-nest-fastify',
    label: 'bare NestJS (Fastify)',
    server: 'bare-nest-fastify',
    load: 'valid',
    bare: 'bare-node',
  },
  {
    id: 'claude-express',
    label: 'claude-auth Express (memory)',
    server: 'claude-express',
    load: 'valid',
    bare: 'bare-express',
    peer: 'peer-express',
    target: { against: 'bare-express', min: 0.9 },
  },
  {
    id: 'claude-koa',
    label: 'claude-auth Koa (memory)',
    server: 'claude-koa',
    load: 'valid',
    bare: 'bare-koa',
    peer: 'peer-koa',
    target: { against: 'bare-koa', min: 0.85 },
  },
  {
    id: 'claude-nest-express',
    label: 'claude-auth NestJS (Express)',
    server: 'claude-nest-express',
    load: 'valid',
    bare: 'bare-nest-express',
    peer: 'peer-nest-express',
    target: { against: 'bare-nest-express', min: 0.9 },
  },
  {
    id: 'claude-nest-fastify',
    label: 'claude-auth NestJS (Fastify)',
    server: 'claude-nest-fastify',
    load: 'valid',
    bare: 'bare-nest-fastify',
    peer: 'peer-nest-fastify',
    target: { against: 'bare-nest-fastify', min: 0.9 },
  },
  {
    id: 'claude-express-sqlite',
    label: 'claude-auth Express (SQLite store)',
    server: 'claude-express-sqlite',
    load: 'valid',
    bare: 'bare-express',
    peer: 'peer-express',
    target: { against: 'claude-express', min: 0.95 },
  },
  {
    id: 'claude-express-redis',
    label: 'claude-auth Express (Redis limiter)',
    server: 'claude-express-redis',
    load: 'valid',
    bare: 'bare-express',
    peer: 'peer-express',
    target: { against: 'claude-express', min: 0.7 },
  },
  {
    id: 'claude-express-flood',
    label: 'claude-auth Express, invalid-key flood',
    server: 'claude-express',
    load: 'flood',
    bare: 'bare-express',
    target: { against: 'claude-express', min: 1.0 },
  },
  {
    id: 'peer-express',
    label: 'peer: Express + passport-headerapikey + express-rate-limit',
    server: 'peer-express',
    load: 'valid',
    bare: 'bare-express',
  },
  {
    id: 'peer-koa',
    label: 'peer: Koa + koa-ratelimit + key check',
    server: 'peer-koa',
    load: 'valid',
    bare: 'bare-koa',
  },
  {
    id: 'peer-nest-express',
    label: 'peer: NestJS (Express) + throttler + key guard',
    server: 'peer-nest-express',
    load: 'valid',
    bare: 'bare-nest-express',
  },
  {
    id: 'peer-nest-fastify',
    label: 'peer: NestJS (Fastify) + throttler + key guard',
    server: 'peer-nest-fastify',
    load: 'valid',
    bare: 'bare-nest-fastify',
  },
];

/** Scenarios that are not throughput rows; selectable with `--rows` like rows. */
export const SCENARIOS = ['memory-growth', 'micro'] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

/**
 * Adds, after each claude-auth throughput row, its twin served by another checkout (`--baseline
 * DIR`: the build before a change), so both builds run interleaved in the same rounds against
 * the same bare rows.
 *
 * @example
 * ```ts
 * withBaseline(ROWS, '/tmp/before'); // [..., claude-express, claude-express@before, ...]
 * ```
 */
export function withBaseline(rows: readonly RowSpec[], root: string): RowSpec[] {
  return rows.flatMap((row) => {
    if (!row.id.startsWith('claude-') || row.load !== 'valid') return [row];
    const { target: _target, peer: _peer, ...rest } = row;
    const twin: RowSpec = {
      ...rest,
      id: `${row.id}@before`,
      label: `${row.label}, before`,
      root,
      baselineOf: row.id,
    };
    return [row, twin];
  });
}
