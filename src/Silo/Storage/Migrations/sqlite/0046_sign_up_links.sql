-- Self sign-up: a one-time link that proves a mailbox before an account exists for it (account_links need a user).
-- Only a hash of the token is kept; a link expires, and works once.
CREATE TABLE sign_up_links (
    token_hash       TEXT PRIMARY KEY,
    email_normalized TEXT NOT NULL,
    expires_utc_ms   BIGINT NOT NULL,
    used_utc_ms      BIGINT NULL,
    created_utc_ms   BIGINT NOT NULL
);
CREATE INDEX ix_sign_up_links_email ON sign_up_links (email_normalized, created_utc_ms);
