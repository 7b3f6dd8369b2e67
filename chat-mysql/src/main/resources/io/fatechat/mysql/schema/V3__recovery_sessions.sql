-- Fatechat schema version 3: Socket.IO connection state recovery sessions, readable by every node.
-- rooms holds one line per joined room: the offset it was joined at, a tab, the room name.
-- expires_at is in epoch milliseconds; rows past it are never recovered and are purged periodically.

CREATE TABLE IF NOT EXISTS ${prefix}recovery_sessions (
  pid VARCHAR(64) NOT NULL,
  user_email VARCHAR(320) NOT NULL,
  last_offset VARCHAR(64) NOT NULL,
  rooms MEDIUMTEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (pid),
  KEY ${prefix}recovery_sessions_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
