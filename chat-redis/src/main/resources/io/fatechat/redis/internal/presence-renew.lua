-- Sets a node's lease to now + ttl on the Redis clock (no skew between nodes) and returns the data
-- generation: a random token set once, so that a node notices when Redis lost its data (a restart without
-- persistence) and writes its connections again.
-- KEYS: 1 leases zset, 2 generation string
-- ARGV: 1 node, 2 ttl ms, 3 generation to set when there is none
local gen = redis.call('GET', KEYS[2])
if not gen then
  gen = ARGV[3]
  redis.call('SET', KEYS[2], gen)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return gen
