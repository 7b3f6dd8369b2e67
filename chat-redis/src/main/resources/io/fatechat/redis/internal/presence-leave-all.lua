-- Removes one connection from every room; returns the rooms it was in.
-- KEYS: 1 conn's room set, 2 conn hash
-- ARGV: 1 conn, 2 key prefix
local left = {}
for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HDEL', ARGV[2] .. 'presence:room:' .. room, ARGV[1]) == 1 then
    table.insert(left, room)
  end
end
local owner = redis.call('HMGET', KEYS[2], 'node', 'user')
if owner[1] then
  redis.call('SREM', ARGV[2] .. 'presence:node:' .. owner[1], ARGV[1])
end
if owner[2] then
  redis.call('SREM', ARGV[2] .. 'presence:user:' .. owner[2], ARGV[1])
end
redis.call('DEL', KEYS[1], KEYS[2])
return left
