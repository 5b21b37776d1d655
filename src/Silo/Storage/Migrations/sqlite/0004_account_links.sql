-- One-time links that sign a person in, set a first password after an invitation, or reset a password. Only a hash of
-- the token is kept; a link expires, and works once.
CREATE TABLE account_links (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id),
    purpose          TEXT NOT NULL CHECK (purpose IN ('sign-in', 'invitation', 'password-reset')),
    token_hash       TEXT NOT NULL UNIQUE,
    expires_utc_ms   INTEGER NOT NULL,
    used_utc_ms      INTEGER NULL,
    created_utc_ms   INTEGER NOT NULL
);
CREATE INDEX ix_account_links_user ON account_links (user_id);
