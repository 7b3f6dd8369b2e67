-- Removes every entry and the lease of some nodes: either the nodes named in ARGV (graceful shutdown), or,
-- when none are named, every node whose lease has lapsed on the Redis clock. One script, so concurrent
-- callers on several nodes cannot both report the same removal, and a crash leaves no half-removed node.
-- Returns { removed nodes, rooms whose entries changed }.
-- KEYS: 1 leases zset
-- ARGV: 1 key prefix, 2 most lapsed nodes to reap per call, 3.. nodes to remove
local prefix = ARGV[1]
local nodes = {}
if #ARGV > 2 then
  for i = 3, #ARGV do table.insert(nodes, ARGV[i]) end
else
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  nodes = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
end
local affected, rooms = {}, {}
for _, node in ipairs(nodes) do
  local nodeKey = prefix .. 'presence:node:' .. node
  for _, conn in ipairs(redis.call('SMEMBERS', nodeKey)) do
    local roomsKey = prefix .. 'presence:conn-rooms:' .. conn
    for _, room in ipairs(redis.call('SMEMBERS', roomsKey)) do
      if redis.call('HDEL', prefix .. 'presence:room:' .. room, conn) == 1 and not affected[room] then
        affected[room] = true
        table.insert(rooms, room)
      end
    end
    local user = redis.call('HGET', prefix .. 'presence:conn:' .. conn, 'user')
    if user then
      redis.call('SREM', prefix .. 'presence:user:' .. user, conn)
    end
    redis.call('DEL', roomsKey, prefix .. 'presence:conn:' .. conn)
  end
  redis.call('DEL', nodeKey)
  redis.call('ZREM', KEYS[1], node)
end
return { nodes, rooms }
