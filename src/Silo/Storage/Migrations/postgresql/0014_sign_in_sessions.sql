-- Server-side sign-in sessions. A sign-in cookie names its session; the cookie is honoured only while the row is live,
-- so signing out, a new password, a change of roles and an admin's "sign out everywhere" end cookies issued before,
-- on every node at once. Only a hash of the session id is kept: the id itself travels inside the encrypted cookie.
CREATE TABLE sign_in_sessions (
    id_hash          TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id),
    created_utc_ms   BIGINT NOT NULL,
    expires_utc_ms   BIGINT NOT NULL,
    ended_utc_ms     BIGINT NULL,
    ended_reason     TEXT NULL CHECK (ended_reason IN ('signed-out', 'signed-out-everywhere', 'ended-by-admin', 'password-changed', 'roles-changed')),
    client_address   TEXT NULL
);
CREATE INDEX ix_sign_in_sessions_user ON sign_in_sessions (user_id);
