-- Records messages of one conversation: each id once (a sorted set of ids, score 0, so ordered by id; ZADD NX
-- tells a new id from a redelivered one), the newest by id as the last message, both members of a private
-- conversation from its first message, and the sender's marker moved up to its own message.
-- Member entries are '<joined epoch micros>|<read message id or empty>'.
-- KEYS: 1 ids zset, 2 meta hash (lastId, last), 3 members hash, [4, 5 the user-conversation sets of the two
--       members of a private conversation]
-- ARGV: 1 conversation key, 2 '1' when private, 3 and 4 its members (or ''), then (id, sender key,
--       created epoch micros, json) quadruples
local ids, meta, members = KEYS[1], KEYS[2], KEYS[3]
local conversation, direct = ARGV[1], ARGV[2] == '1'
local lastId = redis.call('HGET', meta, 'lastId')
for i = 5, #ARGV, 4 do
  local id, sender, at, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('ZADD', ids, 'NX', 0, id) == 1 then
    if not lastId or id > lastId then
      lastId = id
      redis.call('HSET', meta, 'lastId', id, 'last', json)
    end
    if direct then
      for k = 0, 1 do
        if redis.call('HSETNX', members, ARGV[3 + k], at .. '|') == 1 then
          redis.call('SADD', KEYS[4 + k], conversation)
        end
      end
    end
    local entry = redis.call('HGET', members, sender)
    if entry then
      local bar = string.find(entry, '|', 1, true)
      local read = string.sub(entry, bar + 1)
      if read == '' or read < id then
        redis.call('HSET', members, sender, string.sub(entry, 1, bar) .. id)
      end
    end
  end
end
return 1
