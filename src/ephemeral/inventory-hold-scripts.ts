/**
 * The Lua scripts of `inventory-holds.ts`. Time is Redis server time (TIME), so every process
 * agrees on which holds have expired. Sorted-set members are `{holdId}:{qty}`, scored by expiry.
 */
import { defineScript } from './script.js';

const LUA_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;
const LUA_SUM = `local function sum_active(zkey)
  redis.call('ZREMRANGEBYSCORE', zkey, '-inf', now)
  local held = 0
  for _, m in ipairs(redis.call('ZRANGE', zkey, 0, -1)) do held = held + tonumber(string.match(m, ':(%d+)$')) end
  return held
end
local function extend(key, ttl)
  local cur = redis.call('PTTL', key)
  if cur == -1 or (cur >= 0 and cur < ttl) then redis.call('PEXPIRE', key, ttl) end
end
`;

// KEYS: sku zset, seq, hold, cart. ARGV: stock, qty, holdId, ttl, seen seq, slug, variant JSON, cartId.
// Returns {-1} stale stock, {0, available} refused, {1, availableAfter, expiresAt} held.
export const RESERVE = defineScript(
  'hold-reserve',
  `${LUA_NOW}${LUA_SUM}
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[5] then return {-1} end
local available = tonumber(ARGV[1]) - sum_active(KEYS[1])
local qty = tonumber(ARGV[2])
if qty > available then return {0, available} end
local ttl = tonumber(ARGV[4])
local expires = now + ttl
redis.call('ZADD', KEYS[1], expires, ARGV[3] .. ':' .. ARGV[2])
extend(KEYS[1], ttl)
redis.call('HSET', KEYS[3], 'cartId', ARGV[8], 'slug', ARGV[6], 'variant', ARGV[7], 'qty', ARGV[2],
  'expiresAt', expires, 'state', 'held')
redis.call('PEXPIRE', KEYS[3], ttl)
redis.call('SADD', KEYS[4], ARGV[3])
extend(KEYS[4], ttl)
return {1, available - qty, expires}`,
);

// KEYS: sku zset. Returns units held by active holds.
export const HELD = defineScript('hold-held', `${LUA_NOW}${LUA_SUM}return sum_active(KEYS[1])`);

// KEYS: hold. Marks an active hold as committing. Returns {'missing'} | {'busy'} | {'ok', fields…}.
export const BEGIN_COMMIT = defineScript(
  'hold-begin-commit',
  `${LUA_NOW}
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return {'missing'} end
local f = {}
for i = 1, #h, 2 do f[h[i]] = h[i + 1] end
if tonumber(f.expiresAt) <= now then return {'missing'} end
if f.state ~= 'held' then return {'busy'} end
redis.call('HSET', KEYS[1], 'state', 'committing')
return {'ok', f.cartId, f.slug, f.variant, f.qty, f.expiresAt}`,
);

// KEYS: hold. Undo of BEGIN_COMMIT when the decrement itself failed with an error.
export const ABORT_COMMIT = defineScript(
  'hold-abort-commit',
  `if redis.call('HGET', KEYS[1], 'state') == 'committing' then redis.call('HSET', KEYS[1], 'state', 'held') end
return 1`,
);

// KEYS: sku zset, seq, hold, cart. ARGV: member, holdId, bump seq (0|1), seq ttl. Returns 1 if the hold was active.
export const REMOVE = defineScript(
  'hold-remove',
  `local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] == '1' then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('DEL', KEYS[3])
redis.call('SREM', KEYS[4], ARGV[2])
return removed`,
);
