-- PostgreSQL twin of sqlite/0001: the same tables; BIGINT where SQLite's INTEGER is 64-bit.
-- Instants are Unix milliseconds (UTC) in both dialects: exact, sortable, and free of driver time-zone guesses.
CREATE TABLE series (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    created_utc_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
    id                   TEXT PRIMARY KEY,
    series_id            TEXT NOT NULL REFERENCES series(id),
    kind                 TEXT NOT NULL CHECK (kind IN ('national-webinar', 'learning-exchange', 'in-person-training')),
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    starts_utc_ms BIGINT NOT NULL,
    ends_utc_ms BIGINT NOT NULL,
    time_zone            TEXT NOT NULL,
    capacity             INTEGER NOT NULL CHECK (capacity >= 0),
    venue                TEXT NULL,
    city                 TEXT NULL,
    webinar_id           TEXT NULL REFERENCES sessions(id),
    registration_closed  INTEGER NOT NULL DEFAULT 0,
    confirmed_count      INTEGER NOT NULL DEFAULT 0,
    waitlisted_count     INTEGER NOT NULL DEFAULT 0,
    last_sequence        BIGINT NOT NULL DEFAULT 0,
    version              BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_utc_ms > starts_utc_ms),
    -- The capacity invariant, enforced a second time by the database itself.
    CHECK (confirmed_count >= 0 AND confirmed_count <= capacity AND waitlisted_count >= 0)
);
CREATE INDEX ix_sessions_series ON sessions (series_id, starts_utc_ms);
CREATE UNIQUE INDEX ux_sessions_one_exchange_per_webinar ON sessions (webinar_id) WHERE webinar_id IS NOT NULL;

CREATE TABLE session_presenters (
    session_id   TEXT NOT NULL REFERENCES sessions(id),
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);

CREATE TABLE registrations (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions(id),
    group_id           TEXT NOT NULL,
    group_secret       TEXT NOT NULL,
    name               TEXT NOT NULL,
    email              TEXT NOT NULL,
    email_normalized   TEXT NOT NULL,
    agency             TEXT NOT NULL,
    job_role           TEXT NOT NULL,
    time_zone          TEXT NOT NULL,
    accommodations     TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    sequence           BIGINT NOT NULL,
    registered_utc_ms BIGINT NOT NULL,
    promoted_utc_ms BIGINT NULL,
    cancelled_utc_ms BIGINT NULL
);
-- One live registration per person and session: a second one is impossible even if the code above it were wrong.
CREATE UNIQUE INDEX ux_registrations_live_email ON registrations (session_id, email_normalized) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX ux_registrations_arrival ON registrations (session_id, sequence);
CREATE INDEX ix_registrations_waitlist ON registrations (session_id, status, sequence);
CREATE INDEX ix_registrations_group ON registrations (group_id);
