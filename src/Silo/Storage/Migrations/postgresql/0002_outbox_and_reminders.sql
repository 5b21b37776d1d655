-- Mail and reminders. Every email is an outbox row written in the transaction of the change that caused it; the
-- idempotency key (recipient, purpose, subject of the mail) makes a second enqueue a no-op.
ALTER TABLE series ADD COLUMN reminder_offsets_minutes TEXT NOT NULL DEFAULT '1440,60';
ALTER TABLE sessions ADD COLUMN join_url TEXT NULL;
ALTER TABLE sessions ADD COLUMN invite_sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled'));

CREATE TABLE outbox_messages (
    id                  TEXT PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,
    message_id          TEXT NOT NULL UNIQUE,
    recipient           TEXT NOT NULL,
    purpose             TEXT NOT NULL,
    subject_ref         TEXT NOT NULL,
    session_id          TEXT NULL REFERENCES sessions(id),
    registration_id     TEXT NULL REFERENCES registrations(id),
    data                TEXT NOT NULL DEFAULT '{}',
    status              TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_utc_ms BIGINT NOT NULL,
    lease_until_utc_ms  BIGINT NULL,
    leased_by           TEXT NULL,
    last_error          TEXT NULL,
    created_utc_ms      BIGINT NOT NULL,
    sent_utc_ms         BIGINT NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages (status, next_attempt_utc_ms);

-- Reminders are data: an offset before the session, a due instant recomputed when the session moves, and the
-- instant it fired (or was skipped under the misfire policy).
CREATE TABLE session_reminders (
    session_id       TEXT NOT NULL REFERENCES sessions(id),
    offset_minutes   INTEGER NOT NULL CHECK (offset_minutes > 0),
    due_utc_ms       BIGINT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fired', 'skipped')),
    fired_utc_ms     BIGINT NULL,
    PRIMARY KEY (session_id, offset_minutes)
);
CREATE INDEX ix_reminders_due ON session_reminders (state, due_utc_ms);
