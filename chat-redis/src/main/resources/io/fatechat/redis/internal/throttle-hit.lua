-- Counts one attempt in a fixed window: the first hit opens the window with its TTL, later hits only count.
-- A key left without a TTL (written by hand, or an expiry lost mid-script) gets one, so no counter lives forever.
-- KEYS: 1 counter; ARGV: 1 window in milliseconds. Returns {count, milliseconds left}.
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {count, tonumber(ARGV[1])}
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
