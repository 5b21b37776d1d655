-- Accounts and roles, the append-only audit log, and the data-protection key ring (so sign-in cookies, antiforgery
-- tokens and manage links survive restarts and are valid on every web node).
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    email                TEXT NOT NULL,
    email_normalized     TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NULL,
    failed_sign_ins      INTEGER NOT NULL DEFAULT 0,
    locked_until_utc_ms  INTEGER NULL,
    created_utc_ms       INTEGER NOT NULL,
    version              INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users(id),
    role     TEXT NOT NULL CHECK (role IN ('learner', 'mentor', 'coordinator', 'organizer', 'admin')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at_utc_ms     INTEGER NOT NULL,
    actor_id      TEXT NULL,
    actor_email   TEXT NULL,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NULL,
    from_address  TEXT NULL,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_audit_at ON audit_log (at_utc_ms);

CREATE TABLE data_protection_keys (
    friendly_name  TEXT PRIMARY KEY,
    xml            TEXT NOT NULL,
    created_utc_ms INTEGER NOT NULL
);

-- Append-only: nothing may change or remove an audit row.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
