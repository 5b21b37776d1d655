-- Proof of training: attendance (imported from the meeting platform's participant report or checked in by hand),
-- evaluations, certificates with CE hours, and cohort courses. The tables are shared by the attendance, evaluation and
-- certificate code; each keeps one fact, so a certificate can always be explained from the rows beneath it.

-- Per series: how much of a session a person must attend to count as attended, whether a certificate waits for the
-- evaluation, and the organizer's statement printed on every certificate of the series.
ALTER TABLE series ADD COLUMN attendance_threshold_percent INTEGER NOT NULL DEFAULT 75
    CHECK (attendance_threshold_percent BETWEEN 1 AND 100);
ALTER TABLE series ADD COLUMN evaluation_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN certificate_statement TEXT NOT NULL DEFAULT '';
-- CE hours in hundredths (1.5 hours = 150): exact in both engines, no floating point on a certificate.
ALTER TABLE sessions ADD COLUMN ce_hours_centi INTEGER NOT NULL DEFAULT 0 CHECK (ce_hours_centi >= 0);

-- One row per registration whose attendance is known. Minutes are the union of the person's join-leave intervals
-- inside the session (rejoins and a second device are not counted twice); attended is the threshold applied when the
-- row was written, so a later change of the series threshold does not silently rewrite history.
CREATE TABLE attendance (
    registration_id   TEXT PRIMARY KEY REFERENCES registrations(id),
    session_id        TEXT NOT NULL REFERENCES sessions(id),
    minutes           INTEGER NOT NULL CHECK (minutes >= 0),
    attended          INTEGER NOT NULL CHECK (attended IN (0, 1)),
    source            TEXT NOT NULL CHECK (source IN ('import', 'check-in')),
    import_id         TEXT NULL,
    recorded_by       TEXT NULL REFERENCES users(id),
    recorded_utc_ms   BIGINT NOT NULL
);
CREATE INDEX ix_attendance_session ON attendance (session_id, attended);

-- Every change to a person's attendance, the first one included: who, when, from what to what, and why.
CREATE TABLE attendance_changes (
    id                TEXT PRIMARY KEY,
    registration_id   TEXT NOT NULL REFERENCES registrations(id),
    session_id        TEXT NOT NULL REFERENCES sessions(id),
    old_minutes       INTEGER NULL,
    old_attended      INTEGER NULL,
    new_minutes       INTEGER NOT NULL,
    new_attended      INTEGER NOT NULL,
    source            TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    changed_by        TEXT NULL REFERENCES users(id),
    changed_utc_ms    BIGINT NOT NULL
);
CREATE INDEX ix_attendance_changes_registration ON attendance_changes (registration_id, changed_utc_ms);

-- Each imported participant report: the file's hash (importing the same file twice is recognised) and what did not
-- match (JSON), so the organizer can come back to the report.
CREATE TABLE attendance_imports (
    id                TEXT PRIMARY KEY,
    session_id        TEXT NOT NULL REFERENCES sessions(id),
    file_name         TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    rows_read         INTEGER NOT NULL,
    people_matched    INTEGER NOT NULL,
    report_json       TEXT NOT NULL,
    imported_by       TEXT NULL REFERENCES users(id),
    imported_utc_ms   BIGINT NOT NULL
);
CREATE INDEX ix_attendance_imports_session ON attendance_imports (session_id, imported_utc_ms);

-- The evaluation invitation of one attendee: a hashed token for the emailed link, and when it was completed. The
-- answers live apart (evaluation_responses) so an anonymous answer cannot be joined back to the person.
CREATE TABLE evaluation_invitations (
    registration_id   TEXT PRIMARY KEY REFERENCES registrations(id),
    session_id        TEXT NOT NULL REFERENCES sessions(id),
    token_hash        TEXT NOT NULL UNIQUE,
    invited_utc_ms    BIGINT NOT NULL,
    completed_utc_ms  BIGINT NULL
);
CREATE INDEX ix_evaluation_invitations_session ON evaluation_invitations (session_id);

-- Ratings are 1 to 5; recommend is 'yes', 'maybe' or 'no'. registration_id is NULL when the person chose anonymity.
CREATE TABLE evaluation_responses (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions(id),
    registration_id    TEXT NULL REFERENCES registrations(id),
    rating_overall     INTEGER NOT NULL CHECK (rating_overall BETWEEN 1 AND 5),
    rating_content     INTEGER NOT NULL CHECK (rating_content BETWEEN 1 AND 5),
    rating_presenters  INTEGER NOT NULL CHECK (rating_presenters BETWEEN 1 AND 5),
    rating_relevance   INTEGER NOT NULL CHECK (rating_relevance BETWEEN 1 AND 5),
    recommend          TEXT NOT NULL CHECK (recommend IN ('yes', 'maybe', 'no')),
    most_useful        TEXT NOT NULL DEFAULT '',
    suggestions        TEXT NOT NULL DEFAULT '',
    submitted_utc_ms   BIGINT NOT NULL
);
CREATE INDEX ix_evaluation_responses_session ON evaluation_responses (session_id);
CREATE UNIQUE INDEX ux_evaluation_responses_named ON evaluation_responses (registration_id) WHERE registration_id IS NOT NULL;

-- A cohort course: a set of required sessions (say eight weekly ones); attending all of them completes it.
CREATE TABLE courses (
    id                     TEXT PRIMARY KEY,
    series_id              TEXT NULL REFERENCES series(id),
    slug                   TEXT NOT NULL UNIQUE,
    title                  TEXT NOT NULL,
    description            TEXT NOT NULL DEFAULT '',
    description_html       TEXT NOT NULL DEFAULT '',
    ce_hours_centi         INTEGER NOT NULL DEFAULT 0 CHECK (ce_hours_centi >= 0),
    certificate_statement  TEXT NOT NULL DEFAULT '',
    created_utc_ms         BIGINT NOT NULL
);
CREATE TABLE course_sessions (
    course_id   TEXT NOT NULL REFERENCES courses(id),
    session_id  TEXT NOT NULL REFERENCES sessions(id),
    PRIMARY KEY (course_id, session_id)
);

-- A certificate keeps what it showed when issued (person, training, date, hours, statement), so a later edit of the
-- session does not change a certificate already printed. The verification code is random (not derived from anything
-- guessable); a revoked certificate stays, with when and why, and verification says it was revoked.
CREATE TABLE certificates (
    id                     TEXT PRIMARY KEY,
    code                   TEXT NOT NULL UNIQUE,
    kind                   TEXT NOT NULL CHECK (kind IN ('session', 'course')),
    session_id             TEXT NULL REFERENCES sessions(id),
    course_id              TEXT NULL REFERENCES courses(id),
    registration_id        TEXT NULL REFERENCES registrations(id),
    email_normalized       TEXT NOT NULL,
    person_name            TEXT NOT NULL,
    training_title         TEXT NOT NULL,
    training_date          TEXT NOT NULL,
    ce_hours_centi         INTEGER NOT NULL,
    statement              TEXT NOT NULL,
    issued_utc_ms          BIGINT NOT NULL,
    revoked_utc_ms         BIGINT NULL,
    revoked_reason         TEXT NULL,
    CHECK ((kind = 'session' AND session_id IS NOT NULL AND course_id IS NULL)
        OR (kind = 'course' AND course_id IS NOT NULL AND session_id IS NULL))
);
-- At most one live certificate per person and training.
CREATE UNIQUE INDEX ux_certificates_live_session ON certificates (session_id, email_normalized)
    WHERE session_id IS NOT NULL AND revoked_utc_ms IS NULL;
CREATE UNIQUE INDEX ux_certificates_live_course ON certificates (course_id, email_normalized)
    WHERE course_id IS NOT NULL AND revoked_utc_ms IS NULL;
CREATE INDEX ix_certificates_person ON certificates (email_normalized, issued_utc_ms);
