-- Removes one connection from one room; drops the connection's records once it is in no room.
-- KEYS: 1 room hash, 2 conn's room set, 3 conn hash
-- ARGV: 1 conn, 2 room, 3 key prefix
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('SCARD', KEYS[2]) == 0 then
  local owner = redis.call('HMGET', KEYS[3], 'node', 'user')
  if owner[1] then
    redis.call('SREM', ARGV[3] .. 'presence:node:' .. owner[1], ARGV[1])
  end
  if owner[2] then
    redis.call('SREM', ARGV[3] .. 'presence:user:' .. owner[2], ARGV[1])
  end
  redis.call('DEL', KEYS[3])
end
return removed
