-- KEYS[1] the session hash. Reads and deletes it in one step, so one caller of all nodes gets it.
local v = redis.call('HMGET', KEYS[1], 'u', 'o', 'r', 'e')
if not v[1] then
  return {}
end
redis.call('DEL', KEYS[1])
return v
