-- Fatechat schema version 4 for MySQL 8 and MariaDB 10.6+,
-- table prefix 'fatechat_'. Generated from the migrations under io/fatechat/mysql/schema/;
-- JdbcChatStores applies the same at start unless migrateSchema is false. Idempotent: it can be
-- run again, also over a schema the stores migrated themselves.
-- Apply with: mysql --default-character-set=utf8mb4 <database> < mysql-schema.sql

CREATE TABLE IF NOT EXISTS fatechat_schema_version (
  version INT NOT NULL,
  description VARCHAR(200) NOT NULL,
  installed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO fatechat_schema_version (version, description) VALUES (0, 'lock row: locked while a node migrates');

-- V1: users, rooms, messages
CREATE TABLE IF NOT EXISTS fatechat_users (
  email_key VARCHAR(320) NOT NULL,
  email VARCHAR(320) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (email_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fatechat_rooms (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(191) NOT NULL,
  name_key VARCHAR(191) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY fatechat_rooms_name_key (name_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fatechat_messages (
  id VARCHAR(64) NOT NULL,
  conversation_key VARCHAR(645) NOT NULL,
  sender VARCHAR(320) NOT NULL,
  sender_key VARCHAR(320) NOT NULL,
  message_text MEDIUMTEXT NOT NULL,
  is_event BOOLEAN NOT NULL,
  created_at DATETIME(6) NOT NULL,
  client_id VARCHAR(128) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY fatechat_messages_sender_client (sender_key, client_id),
  KEY fatechat_messages_conversation_id (conversation_key, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO fatechat_schema_version (version, description) VALUES (1, 'users, rooms, messages');

-- V2: conversations, members, read markers
CREATE TABLE IF NOT EXISTS fatechat_conversations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  conversation_key VARCHAR(645) NOT NULL,
  message_count BIGINT NOT NULL,
  last_message_id VARCHAR(64) NULL,
  last_sender VARCHAR(320) NULL,
  last_text MEDIUMTEXT NULL,
  last_created_at DATETIME(6) NULL,
  last_client_id VARCHAR(128) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY fatechat_conversations_key (conversation_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fatechat_conversation_messages (
  conversation_id BIGINT NOT NULL,
  message_id VARCHAR(64) NOT NULL,
  PRIMARY KEY (conversation_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS fatechat_conversation_members (
  user_key VARCHAR(320) NOT NULL,
  conversation_id BIGINT NOT NULL,
  joined_at DATETIME(6) NOT NULL,
  read_message_id VARCHAR(64) NULL,
  read_count BIGINT NOT NULL,
  PRIMARY KEY (user_key, conversation_id),
  KEY fatechat_conversation_members_read (conversation_id, read_message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO fatechat_schema_version (version, description) VALUES (2, 'conversations, members, read markers');

-- V3: recovery sessions
CREATE TABLE IF NOT EXISTS fatechat_recovery_sessions (
  pid VARCHAR(64) NOT NULL,
  user_email VARCHAR(320) NOT NULL,
  last_offset VARCHAR(64) NOT NULL,
  rooms MEDIUMTEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (pid),
  KEY fatechat_recovery_sessions_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO fatechat_schema_version (version, description) VALUES (3, 'recovery sessions');

-- V4: token revocation
SET @fatechat_ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'fatechat_users' AND COLUMN_NAME = 'tokens_revoked_before') = 0,
  'ALTER TABLE fatechat_users ADD COLUMN tokens_revoked_before BIGINT NULL', 'DO 0');
PREPARE fatechat_ddl FROM @fatechat_ddl;
EXECUTE fatechat_ddl;
DEALLOCATE PREPARE fatechat_ddl;

INSERT IGNORE INTO fatechat_schema_version (version, description) VALUES (4, 'token revocation');

