-- The users of a room's connections whose node holds a live lease, so that a dead node's users vanish the
-- moment its lease lapses, before some node reaps its entries. Duplicates are left to the caller.
-- KEYS: 1 room hash (conn -> node LF user), 2 leases zset
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = {}
local users = {}
for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
  local sep = string.find(entry, '\n', 1, true)
  if sep then
    local node = string.sub(entry, 1, sep - 1)
    if live[node] == nil then
      local expiry = redis.call('ZSCORE', KEYS[2], node)
      live[node] = expiry ~= false and tonumber(expiry) > now
    end
    if live[node] then
      users[#users + 1] = string.sub(entry, sep + 1)
    end
  end
end
return users
