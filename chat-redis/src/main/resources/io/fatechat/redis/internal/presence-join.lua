-- Adds one connection to one room, atomically with its indexes, and gives the node a lease if it has none
-- (or only a lapsed one) so that no entry can outlive a node that dies before its first heartbeat.
-- KEYS: 1 room hash (conn -> node LF user), 2 conn hash (node, user), 3 conn's room set, 4 node's conn set, 5 leases zset
-- ARGV: 1 node, 2 conn, 3 user, 4 room, 5 implicit lease ms, 6 key prefix
local node, conn, user, room, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
local old = redis.call('HMGET', KEYS[2], 'node', 'user')
if old[1] and (old[1] ~= node or old[2] ~= user) then
  -- a connection id reused by another node or user starts afresh rather than mixing entries
  for _, r in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    redis.call('HDEL', prefix .. 'presence:room:' .. r, conn)
  end
  redis.call('SREM', prefix .. 'presence:node:' .. old[1], conn)
  redis.call('DEL', KEYS[3])
end
redis.call('HSET', KEYS[2], 'node', node, 'user', user)
redis.call('SADD', KEYS[3], room)
redis.call('HSET', KEYS[1], conn, node .. '\n' .. user)
redis.call('SADD', KEYS[4], conn)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = redis.call('ZSCORE', KEYS[5], node)
if not lease or tonumber(lease) <= now then
  redis.call('ZADD', KEYS[5], now + tonumber(ARGV[5]), node)
end
return 1
