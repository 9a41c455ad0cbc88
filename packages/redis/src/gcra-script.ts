/**
 * GCRA in one Lua script, on the Redis server's clock (`TIME`), so that every instance agrees on
 * "now" whatever its own clock says. One call decides one request atomically.
 *
 * KEYS[1]: the state key (its value is the theoretical arrival time, TAT, in microseconds).
 * ARGV[1]: emission interval in microseconds (`windowMs * 1000 / limit`, may be fractional).
 * ARGV[2]: burst. ARGV[3]: cost.
 * Returns `{ allowed (0|1), remaining, resetAt (epoch ms), retryAfterMs }`.
 *
 * The TAT is stored with `%.17g` so no precision is lost, and compared with a slack of a
 * thousandth of a microsecond so that sums of fractional intervals stay exact at the boundary.
 * The key expires (PX) when the bucket is full again, so idle keys vanish.
 *
 * @example
 * ```ts
 * redis.defineCommand('claudeAuthGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
 * ```
 */
export const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local epsilon = 0.001
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then
  local parsed = tonumber(stored)
  if parsed and parsed > now then tat = parsed end
end
local tolerance = interval * burst
local new_tat = tat + interval * cost
local allow_at = new_tat - tolerance
if allow_at > now + epsilon then
  local wait = allow_at - now
  if cost > burst then wait = tat - now end
  local remaining = math.floor((tolerance - (tat - now) + epsilon) / interval)
  if remaining < 0 then remaining = 0 end
  local retry = math.ceil(wait / 1000)
  if retry < 1 then retry = 1 end
  return { 0, remaining, math.ceil(tat / 1000), retry }
end
local ttl = math.ceil((new_tat - now) / 1000)
if ttl < 1 then ttl = 1 end
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', ttl)
local remaining = math.floor((tolerance - (new_tat - now) + epsilon) / interval)
if remaining < 0 then remaining = 0 end
return { 1, remaining, math.ceil(new_tat / 1000), 0 }
`;
