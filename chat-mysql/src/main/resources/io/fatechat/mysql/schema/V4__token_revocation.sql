-- Fatechat schema version 4: durable token revocation ("log out everywhere").
-- tokens_revoked_before is in epoch milliseconds: the user's tokens issued at or before it are void; NULL when none
-- was ever revoked. Kept with the user so a node started after the revocation refuses those tokens too.

ALTER TABLE ${prefix}users ADD COLUMN tokens_revoked_before BIGINT NULL
