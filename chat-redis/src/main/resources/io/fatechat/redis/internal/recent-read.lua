-- Reads the newest n cached messages of a conversation, newest first.
-- A cache counts only when it was filled from the history store in the current epoch (the epoch moves on
-- whenever some node failed to write to the cache, so a cache that may have missed a message is refilled).
-- Returns { 'hit', json... } or { 'miss', epoch }.
-- KEYS: 1 ids zset (score 0, ordered by id), 2 messages hash (id -> json), 3 client-id hash (unused here),
--       4 filled marker, 5 epoch
-- ARGV: 1 n
local epoch = redis.call('GET', KEYS[5]) or '0'
if redis.call('GET', KEYS[4]) ~= epoch then
  return { 'miss', epoch }
end
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local result = { 'hit' }
if #ids == 0 then
  return result
end
local values = redis.call('HMGET', KEYS[2], unpack(ids))
for i = 1, #ids do
  if not values[i] then
    return { 'miss', epoch }
  end
  result[i + 1] = values[i]
end
return result
