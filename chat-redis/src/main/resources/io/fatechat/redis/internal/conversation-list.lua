-- Every conversation of a user with the user's view of it (see conversation-view.lua); the caller orders and
-- pages them. Reads one entry per conversation of the user, never the history.
-- KEYS: 1 the user's conversation set
-- ARGV: 1 key prefix, 2 user key
-- Returns flat (conversation key, joined micros, read id or '', unread, last json or '') quintuples
local out = {}
for _, c in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local entry = redis.call('HGET', ARGV[1] .. 'conv:members:' .. c, ARGV[2])
  if entry then
    local bar = string.find(entry, '|', 1, true)
    local read = string.sub(entry, bar + 1)
    local ids = ARGV[1] .. 'conv:ids:' .. c
    local unread
    if read == '' then
      unread = redis.call('ZCARD', ids)
    else
      unread = redis.call('ZLEXCOUNT', ids, '(' .. read, '+')
    end
    out[#out + 1] = c
    out[#out + 1] = string.sub(entry, 1, bar - 1)
    out[#out + 1] = read
    out[#out + 1] = unread
    out[#out + 1] = redis.call('HGET', ARGV[1] .. 'conv:meta:' .. c, 'last') or ''
  end
end
return out
