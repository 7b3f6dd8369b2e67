-- Fatechat schema version 2: conversations, their members and read markers.
-- Unread counts cost no scan of history: conversations.message_count counts the recorded (non-event) messages,
-- conversation_members.read_count how many of them the member's marker covers; unread is the difference.
-- conversation_messages is the index of recorded ids that makes recording idempotent and lets a marker's
-- read_count be computed from the (usually few) ids above it.
-- user_key is the lower-cased e-mail. Ids compare as binary strings: UUIDv7 order is time order.

CREATE TABLE IF NOT EXISTS ${prefix}conversations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  conversation_key VARCHAR(645) NOT NULL,
  message_count BIGINT NOT NULL,
  last_message_id VARCHAR(64) NULL,
  last_sender VARCHAR(320) NULL,
  last_text MEDIUMTEXT NULL,
  last_created_at DATETIME(6) NULL,
  last_client_id VARCHAR(128) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ${prefix}conversations_key (conversation_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}conversation_messages (
  conversation_id BIGINT NOT NULL,
  message_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (conversation_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}conversation_members (
  user_key VARCHAR(320) NOT NULL,
  conversation_id BIGINT NOT NULL,
  joined_at DATETIME(6) NOT NULL,
  read_message_id VARCHAR(64) NULL,
  read_count BIGINT NOT NULL,
  PRIMARY KEY (user_key, conversation_id),
  KEY ${prefix}conversation_members_read (conversation_id, read_message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
