/**
 * Conditional debit in one Lua script, with the semantics of `KeyStore.debitSpend`: the debit
 * applies only while the total *before* it is below the limit (ARGV[2] = -1: no limit / forced),
 * and a debit id applies at most once.
 *
 * KEYS[1]: the period's counter. KEYS[2]: the debit id's marker (any key when ARGV[5] is `0`).
 * ARGV[1]: amount. ARGV[2]: limit or -1. ARGV[3]: PEXPIREAT ms.
 * ARGV[4]: `1` when a missing counter must be seeded from the durable store first.
 * ARGV[5]: `1` when the debit has an id. ARGV[6]: how long the marker lives (ms).
 * Returns `{ code, total }`: code 1 applied, 0 refused by the limit, -1 seed needed, 2 this id
 * was already applied (nothing done), 3 this id was voided (nothing done).
 *
 * The marker holds `a:<amount>` once applied and `v` once voided (see {@link VOID_SCRIPT}).
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthDebit', { numberOfKeys: 2, lua: DEBIT_SCRIPT });
 * ```
 */
export const DEBIT_SCRIPT = `
local marked = ARGV[5] == '1'
local current = redis.call('GET', KEYS[1])
if marked then
  local marker = redis.call('GET', KEYS[2])
  if marker then
    local code = 3
    if string.sub(marker, 1, 1) == 'a' then code = 2 end
    return { code, tonumber(current or '0') }
  end
end
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
if marked then redis.call('SET', KEYS[2], 'a:' .. ARGV[1], 'PX', ARGV[6]) end
return { 1, total }
`;

/**
 * Voids a debit id, atomically: an applied debit is taken off its counter, and the marker becomes
 * `v`, so the same id never applies later.
 * KEYS[1]: counter. KEYS[2]: marker. ARGV[1]: how long the marker lives (ms).
 * Returns `{ voided (1|0), total }`.
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthVoid', { numberOfKeys: 2, lua: VOID_SCRIPT });
 * ```
 */
export const VOID_SCRIPT = `
local marker = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], 'v', 'PX', ARGV[1])
local current = redis.call('GET', KEYS[1])
if marker and string.sub(marker, 1, 1) == 'a' then
  if current then return { 1, redis.call('DECRBY', KEYS[1], tonumber(string.sub(marker, 3))) } end
  return { 1, 0 }
end
return { 0, tonumber(current or '0') }
`;

/**
 * Undoes an admission whose durable write failed: takes the amount off the counter and forgets
 * the id's marker, so that a retry of the same debit is decided afresh.
 * KEYS[1]: counter. KEYS[2]: marker (any key when ARGV[2] is `0`). ARGV[1]: amount.
 * ARGV[2]: `1` when the debit has an id.
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthUndo', { numberOfKeys: 2, lua: UNDO_SCRIPT });
 * ```
 */
export const UNDO_SCRIPT = `
if ARGV[2] == '1' then redis.call('DEL', KEYS[2]) end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 1
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
