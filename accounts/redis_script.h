// The Lua script behind RedisStore::apply: every update of a batch, atomically, in one round
// trip. Per entity hash it applies the updates with the semantics of StateUpdate::Kind, drops
// expired fields, sets the key's expiry to the latest expiry left (EXPIREAT; PERSIST when an
// item never expires) and keeps the space's two indexes: tusk:i:<space> (lexicographic, for
// list()) and tusk:x:<space> (scored by expiry, so that each apply removes up to 100 index
// entries whose entity has expired).
//
// KEYS: the entity hashes, then the index keys. ARGV: now, E, then per entity: member,
// index of its tusk:i key, index of its tusk:x key, U, then U x (kind, name, value, time,
// count, expires). Field values: "count expires" (b), "last expires" (s),
// "until expires reason" (l); field names "b\0counter\0start", "s\0counter\0value", "l\0name".
#pragma once

namespace tusk::accounts {

inline constexpr const char* kApplyScript = R"lua(
local now = tonumber(ARGV[1])
local function live(x) return x <= 0 or now < x end
local function later(a, b)
  if a <= 0 or b <= 0 then return 0 end
  if a > b then return a end
  return b
end
local function f(n) return string.format('%d', n) end
local function two(v)
  local a, b = string.match(v, '^(%-?%d+) (%-?%d+)')
  return tonumber(a), tonumber(b)
end
local p = 3
local indexes = {}
for e = 1, tonumber(ARGV[2]) do
  local h = KEYS[e]
  local member = ARGV[p]
  local ik, xk = KEYS[tonumber(ARGV[p + 1])], KEYS[tonumber(ARGV[p + 2])]
  local nu = tonumber(ARGV[p + 3])
  p = p + 4
  indexes[ik] = xk
  for u = 1, nu do
    local kind, name, value = ARGV[p], ARGV[p + 1], ARGV[p + 2]
    local t, count, exp = tonumber(ARGV[p + 3]), tonumber(ARGV[p + 4]), tonumber(ARGV[p + 5])
    if kind == 'a' then
      local field = 'b\0' .. name .. '\0' .. ARGV[p + 3]
      local cur = redis.call('HGET', h, field)
      local c, x = 0, exp
      if cur then
        local oc, ox = two(cur)
        if live(ox) then c, x = oc, later(ox, exp) end
      end
      redis.call('HSET', h, field, f(c + count) .. ' ' .. f(x))
    elseif kind == 's' then
      local field = 's\0' .. name .. '\0' .. value
      local cur = redis.call('HGET', h, field)
      local last, x = t, exp
      if cur then
        local ol, ox = two(cur)
        if live(ox) then
          if ol > last then last = ol end
          x = later(ox, exp)
        end
      end
      redis.call('HSET', h, field, f(last) .. ' ' .. f(x))
    elseif kind == 'l' then
      local field = 'l\0' .. name
      local cur = redis.call('HGET', h, field)
      local until_, x, reason = t, exp, value
      if cur then
        local ou, ox, oreason = string.match(cur, '^(%-?%d+) (%-?%d+) (.*)$')
        ou, ox = tonumber(ou), tonumber(ox)
        if live(ox) then
          x = later(ox, exp)
          if ou >= t then until_, reason = ou, oreason end
        end
      end
      redis.call('HSET', h, field, f(until_) .. ' ' .. f(x) .. ' ' .. reason)
    elseif kind == 'u' then
      redis.call('HDEL', h, 'l\0' .. name)
    end
    p = p + 6
  end
  local all = redis.call('HGETALL', h)
  local maxx, forever, left = 0, false, 0
  for i = 1, #all, 2 do
    local _, x = two(all[i + 1])
    if live(x) then
      left = left + 1
      if x <= 0 then forever = true elseif x > maxx then maxx = x end
    else
      redis.call('HDEL', h, all[i])
    end
  end
  if left == 0 then
    redis.call('DEL', h)
    redis.call('ZREM', ik, member)
    redis.call('ZREM', xk, member)
  else
    redis.call('ZADD', ik, 0, member)
    if forever then
      redis.call('PERSIST', h)
      redis.call('ZADD', xk, '+inf', member)
    else
      redis.call('EXPIREAT', h, maxx)
      redis.call('ZADD', xk, maxx, member)
    end
  end
end
for ik, xk in pairs(indexes) do
  local gone = redis.call('ZRANGEBYSCORE', xk, '-inf', now, 'LIMIT', 0, 100)
  for _, m in ipairs(gone) do
    redis.call('ZREM', ik, m)
    redis.call('ZREM', xk, m)
  end
end
return 1
)lua";

}  // namespace tusk::accounts
