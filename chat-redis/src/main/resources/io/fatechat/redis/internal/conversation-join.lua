-- Adds a member with its marker unless it is one already (an existing member keeps its marker).
-- KEYS: 1 members hash, 2 the user's conversation set
-- ARGV: 1 user key, 2 '<joined micros>|<read id or empty>', 3 conversation key
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('SADD', KEYS[2], ARGV[3])
end
return 1
