-- Peer mentoring: mentor profiles, mentorships (one active per mentee), and follow-up logs with confidential notes.
CREATE TABLE mentor_profiles (
    user_id      TEXT PRIMARY KEY REFERENCES users(id),
    agency       TEXT NOT NULL,
    region       TEXT NOT NULL,
    specialties  TEXT NOT NULL DEFAULT '',
    languages    TEXT NOT NULL DEFAULT '',
    time_zone    TEXT NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity >= 0),
    active       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE mentorships (
    id                TEXT PRIMARY KEY,
    mentor_id         TEXT NOT NULL REFERENCES users(id),
    mentee_id         TEXT NOT NULL REFERENCES users(id),
    assigned_on       TEXT NOT NULL,
    mentor_time_zone  TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('active', 'completed', 'withdrawn', 'reassigned')),
    ended_on          TEXT NULL,
    created_utc_ms    INTEGER NOT NULL,
    CHECK (mentor_id <> mentee_id)
);
-- A mentee has at most one active mentorship, whatever the code above does.
CREATE UNIQUE INDEX ux_mentorships_active_mentee ON mentorships (mentee_id) WHERE status = 'active';
CREATE INDEX ix_mentorships_mentor ON mentorships (mentor_id, status);

CREATE TABLE follow_up_logs (
    id                TEXT PRIMARY KEY,
    mentorship_id     TEXT NOT NULL REFERENCES mentorships(id),
    held_on           TEXT NOT NULL,
    mode              TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    topics            TEXT NOT NULL,
    notes             TEXT NOT NULL,
    next_steps        TEXT NOT NULL,
    logged_by         TEXT NOT NULL REFERENCES users(id),
    logged_utc_ms     INTEGER NOT NULL
);
CREATE INDEX ix_follow_up_logs_mentorship ON follow_up_logs (mentorship_id, held_on);
