-- Self-study credit (issue 14). A series may grant a certificate to a registrant who did not attend live but played
-- enough of the session's recording (self_study_percent, within self_study_days of its publication when set) and
-- passed the session's knowledge check when it has one. Written only by the series grain (SqlSeriesStore).
-- self_study_ce_hours_centi: the hours a self-study certificate carries; null means the session's own.
ALTER TABLE series ADD COLUMN self_study_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN self_study_percent INTEGER NOT NULL DEFAULT 90;
ALTER TABLE series ADD COLUMN self_study_days INTEGER NULL;
ALTER TABLE series ADD COLUMN self_study_ce_hours_centi INTEGER NULL;

-- Which credit a certificate records: attended live, or earned by self-study of the recording. At most one live
-- certificate per person and session stays the rule (ux_certificates_live_session), so one person never holds both.
ALTER TABLE certificates ADD COLUMN credit TEXT NOT NULL DEFAULT 'live' CHECK (credit IN ('live', 'self_study'));

-- A session's knowledge check, written only by its grain (KnowledgeCheckGrain). questions: JSON
-- [{"id": "...", "prompt": "...", "options": ["...", ...], "correct": 0}, ...]; nothing queries inside it.
CREATE TABLE knowledge_checks (
    session_id        TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    pass_percent      INTEGER NOT NULL CHECK (pass_percent BETWEEN 1 AND 100),
    max_attempts      INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
    questions         TEXT NOT NULL,
    updated_utc_ms    BIGINT NOT NULL
);

-- Each submitted attempt, with the answers as given (JSON {"questionId": optionIndex}) and its score. The attempt number
-- is part of the key, so a form submitted twice, or a second attempt racing the first, cannot both count.
CREATE TABLE knowledge_check_attempts (
    registration_id   TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    attempt           INTEGER NOT NULL CHECK (attempt >= 1),
    session_id        TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    answers           TEXT NOT NULL,
    score_percent     INTEGER NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
    passed            INTEGER NOT NULL CHECK (passed IN (0, 1)),
    submitted_utc_ms  BIGINT NOT NULL,
    PRIMARY KEY (registration_id, attempt)
);
CREATE INDEX ix_knowledge_check_attempts_session ON knowledge_check_attempts (session_id, passed);
