-- Replaces everything stored for one node with the node's own view of its connections and renews its
-- lease: used after Redis lost data or after writes of this node failed during an outage.
-- KEYS: 1 leases zset, 2 generation string
-- ARGV: 1 key prefix, 2 node, 3 ttl ms, 4 generation to set when there is none, then (conn, user, room) triples
local prefix, node = ARGV[1], ARGV[2]
local nodeKey = prefix .. 'presence:node:' .. node
for _, conn in ipairs(redis.call('SMEMBERS', nodeKey)) do
  local roomsKey = prefix .. 'presence:conn-rooms:' .. conn
  for _, room in ipairs(redis.call('SMEMBERS', roomsKey)) do
    redis.call('HDEL', prefix .. 'presence:room:' .. room, conn)
  end
  local user = redis.call('HGET', prefix .. 'presence:conn:' .. conn, 'user')
  if user then
    redis.call('SREM', prefix .. 'presence:user:' .. user, conn)
  end
  redis.call('DEL', roomsKey, prefix .. 'presence:conn:' .. conn)
end
redis.call('DEL', nodeKey)
for i = 5, #ARGV, 3 do
  local conn, user, room = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  redis.call('HSET', prefix .. 'presence:conn:' .. conn, 'node', node, 'user', user)
  redis.call('SADD', prefix .. 'presence:conn-rooms:' .. conn, room)
  redis.call('HSET', prefix .. 'presence:room:' .. room, conn, node .. '\n' .. user)
  redis.call('SADD', nodeKey, conn)
  redis.call('SADD', prefix .. 'presence:user:' .. user, conn)
end
local gen = redis.call('GET', KEYS[2])
if not gen then
  gen = ARGV[4]
  redis.call('SET', KEYS[2], gen)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), node)
return gen
