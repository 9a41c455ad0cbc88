/**
 * Conditional debit in one Lua script, with the semantics of `KeyStore.debitSpend`: the debit
 * applies only while the total *before* it is below the limit (ARGV[2] = -1: no limit / forced).
 *
 * KEYS[1]: the period's counter. ARGV[1]: amount. ARGV[2]: limit or -1. ARGV[3]: PEXPIREAT ms.
 * ARGV[4]: `1` when a missing counter must be seeded from the durable store first.
 * Returns `{ applied (1|0, or -1: seed needed), total }`.
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthDebit', { numberOfKeys: 1, lua: DEBIT_SCRIPT });
 * ```
 */
export const DEBIT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  if ARGV[4] == '1' then return { -1, 0 } end
  current = 0
else
  current = tonumber(current)
end
local limit = tonumber(ARGV[2])
if limit >= 0 and current >= limit then return { 0, current } end
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return { 1, total }
`;

/**
 * Seeds a missing counter (SET NX) with the durable total, then sets its expiry.
 * KEYS[1]: counter. ARGV[1]: total. ARGV[2]: PEXPIREAT ms.
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthSeed', { numberOfKeys: 1, lua: SEED_SCRIPT });
 * ```
 */
export const SEED_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
return 1
`;
