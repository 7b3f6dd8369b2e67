-- A room's entries and the nodes holding a live lease, in one atomic read. The caller keeps the entries of live
-- nodes, so a dead node's users vanish the moment its lease lapses, before some node reaps its entries. Parsing
-- and filtering the entries is left to the caller: Redis runs one script at a time, and a room of a thousand
-- connections must not cost a thousand Lua string operations on every read.
-- KEYS: 1 room hash (conn -> node LF user), 2 leases zset
-- Returns: {live nodes, entries}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf'), redis.call('HVALS', KEYS[1])}
