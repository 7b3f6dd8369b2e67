-- KEYS[1] the session hash; ARGV[1] the new expiry (epoch millis). A missing record stays missing.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'e', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
