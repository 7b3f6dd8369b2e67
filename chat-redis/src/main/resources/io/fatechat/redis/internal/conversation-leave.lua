-- Ends a membership. KEYS: 1 members hash, 2 the user's conversation set. ARGV: 1 user key, 2 conversation key
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
return removed
