-- One member's view of a conversation, after moving the member's marker forward to ARGV[2] when given.
-- Unread is the number of recorded ids above the marker: ZLEXCOUNT, O(log n), exact whatever order ids were
-- recorded in.
-- KEYS: 1 ids zset, 2 meta hash, 3 members hash
-- ARGV: 1 user key, 2 message id to mark read up to, or ''
-- Returns {} when not a member, else {joined micros, read id or '', unread, last message json or ''}
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then
  return {}
end
local bar = string.find(entry, '|', 1, true)
local joined, read = string.sub(entry, 1, bar - 1), string.sub(entry, bar + 1)
if ARGV[2] ~= '' and (read == '' or read < ARGV[2]) then
  read = ARGV[2]
  redis.call('HSET', KEYS[3], ARGV[1], joined .. '|' .. read)
end
local unread
if read == '' then
  unread = redis.call('ZCARD', KEYS[1])
else
  unread = redis.call('ZLEXCOUNT', KEYS[1], '(' .. read, '+')
end
return {joined, read, unread, redis.call('HGET', KEYS[2], 'last') or ''}
