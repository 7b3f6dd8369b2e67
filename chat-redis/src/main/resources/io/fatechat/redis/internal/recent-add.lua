-- Adds messages to a conversation's capped cache in one step: de-duplicated by id (a sorted set ordered by
-- id, so concurrent writers cannot reorder or double an entry; the first text stored for an id wins, as in
-- the history store) and by sender + client id (a re-send the history store skipped must not show up here),
-- then trimmed to the newest `cap` ids.
-- Modes: 'a' = append: a message whose client key already belongs to another id is skipped and its position
-- returned, so the caller can ask the history store which one it kept; 'r' = repair and 'f' = fill: the
-- messages come from the history store, which is the truth, so a cached message claiming the same client key
-- under another id is dropped. A fill also marks the cache filled, unless the epoch moved on since the caller
-- read it before loading from the store.
-- KEYS: 1 ids zset, 2 messages hash, 3 client-key hash (lower(sender) LF clientId -> id), 4 filled marker,
--       5 epoch
-- ARGV: 1 cap, 2 ttl ms, 3 mode, 4 epoch (fill only), then (id, client key or '', json) triples
-- Returns, for each message an append skipped for its client key, its 1-based position and the id that owns
-- the key.
local cap, ttl, mode = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local skipped = {}
local n = 0
for i = 5, #ARGV, 3 do
  n = n + 1
  local id, cid, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local add = true
  if cid ~= '' then
    local owner = redis.call('HGET', KEYS[3], cid)
    if owner and owner ~= id then
      if mode == 'a' then
        add = false
        table.insert(skipped, n)
        table.insert(skipped, owner)
      else
        redis.call('ZREM', KEYS[1], owner)
        redis.call('HDEL', KEYS[2], owner)
      end
    end
  end
  if add then
    redis.call('ZADD', KEYS[1], 0, id)
    if mode == 'a' then
      redis.call('HSETNX', KEYS[2], id, json)
    else
      redis.call('HSET', KEYS[2], id, json)
    end
    if cid ~= '' then
      redis.call('HSET', KEYS[3], cid, id)
    end
  end
end
local excess = redis.call('ZCARD', KEYS[1]) - cap
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, excess - 1)) do
    redis.call('HDEL', KEYS[2], id)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
-- Client keys outlive their messages (a re-send of a message just trimmed must still be recognised), but
-- not forever: past 4 x cap entries, the ones of the oldest ids go, down to 2 x cap (amortised: rarely).
if redis.call('HLEN', KEYS[3]) > cap * 4 then
  local flat = redis.call('HGETALL', KEYS[3])
  local entries = {}
  for i = 1, #flat, 2 do
    entries[#entries + 1] = { flat[i], flat[i + 1] }
  end
  table.sort(entries, function(x, y) return x[2] < y[2] end)
  for i = 1, #entries - cap * 2 do
    redis.call('HDEL', KEYS[3], entries[i][1])
  end
end
if mode == 'f' and (redis.call('GET', KEYS[5]) or '0') == ARGV[4] then
  redis.call('SET', KEYS[4], ARGV[4])
end
for k = 1, 4 do
  redis.call('PEXPIRE', KEYS[k], ttl)
end
return skipped
