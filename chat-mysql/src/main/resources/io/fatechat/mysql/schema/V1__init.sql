-- Fatechat schema version 1: users, rooms, messages.
-- ${prefix} is replaced by the configured table prefix (default fatechat_).
-- Runs unchanged on MySQL 8, MariaDB 10.6+ and H2 in MODE=MySQL. Every statement is idempotent.
-- Text is utf8mb4 with binary collation: case-insensitive uniqueness uses lower-cased key columns,
-- so MySQL, MariaDB and H2 compare the same way. Times are UTC.
-- messages.id is a time-ordered UUIDv7 string: id order is time order within a conversation.
-- messages.conversation_key is ConversationId.key(): 'r:<room>' or 'd:<userA> <userB>' (private).

CREATE TABLE IF NOT EXISTS ${prefix}users (
  email_key VARCHAR(320) NOT NULL,
  email VARCHAR(320) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (email_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}rooms (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(191) NOT NULL,
  name_key VARCHAR(191) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ${prefix}rooms_name_key (name_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}messages (
  id VARCHAR(64) NOT NULL,
  conversation_key VARCHAR(645) NOT NULL,
  sender VARCHAR(320) NOT NULL,
  sender_key VARCHAR(320) NOT NULL,
  message_text MEDIUMTEXT NOT NULL,
  is_event BOOLEAN NOT NULL,
  created_at DATETIME(6) NOT NULL,
  client_id VARCHAR(128) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ${prefix}messages_sender_client (sender_key, client_id),
  KEY ${prefix}messages_conversation_id (conversation_key, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
