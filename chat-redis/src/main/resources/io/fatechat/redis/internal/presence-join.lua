-- Adds one connection to one room, atomically with its indexes, and gives the node a lease if it has none
-- (or only a lapsed one) so that no entry can outlive a node that dies before its first heartbeat. Answers
-- whether the user was online in the room before, as presence-online would have said, so a join costs one round
-- trip: it looks only at the user's own connections (a few tabs), never at the whole room.
-- KEYS: 1 room hash (conn -> node LF user), 2 conn hash (node, user), 3 conn's room set, 4 node's conn set,
--       5 leases zset, 6 user's conn set
-- ARGV: 1 node, 2 conn, 3 user, 4 room, 5 implicit lease ms, 6 key prefix
-- Returns: 1 when the user was online in the room before this call, else 0
local node, conn, user, room, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local was = 0
for _, c in ipairs(redis.call('SMEMBERS', KEYS[6])) do
  local entry = redis.call('HGET', KEYS[1], c)
  if entry then
    local sep = string.find(entry, '\n', 1, true)
    if sep and string.sub(entry, sep + 1) == user then
      local until_ = redis.call('ZSCORE', KEYS[5], string.sub(entry, 1, sep - 1))
      if until_ and tonumber(until_) > now then
        was = 1
        break
      end
    end
  end
end
local old = redis.call('HMGET', KEYS[2], 'node', 'user')
if old[1] and (old[1] ~= node or old[2] ~= user) then
  -- a connection id reused by another node or user starts afresh rather than mixing entries
  for _, r in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    redis.call('HDEL', prefix .. 'presence:room:' .. r, conn)
  end
  redis.call('SREM', prefix .. 'presence:node:' .. old[1], conn)
  if old[2] then
    redis.call('SREM', prefix .. 'presence:user:' .. old[2], conn)
  end
  redis.call('DEL', KEYS[3])
end
redis.call('HSET', KEYS[2], 'node', node, 'user', user)
redis.call('SADD', KEYS[3], room)
redis.call('HSET', KEYS[1], conn, node .. '\n' .. user)
redis.call('SADD', KEYS[4], conn)
redis.call('SADD', KEYS[6], conn)
local lease = redis.call('ZSCORE', KEYS[5], node)
if not lease or tonumber(lease) <= now then
  redis.call('ZADD', KEYS[5], now + tonumber(ARGV[5]), node)
end
return was
