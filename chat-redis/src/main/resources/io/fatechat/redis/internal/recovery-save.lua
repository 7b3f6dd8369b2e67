-- KEYS[1] the session hash; ARGV user, offset, rooms, expiry (epoch millis). Replaces any record of the pid.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'o', ARGV[2], 'r', ARGV[3], 'e', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1
