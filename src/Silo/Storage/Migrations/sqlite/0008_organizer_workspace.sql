-- The organizer workspace. Rich text is kept twice: the organizer's source (Markdown or pasted HTML, only ever shown
-- back in a text area) and the sanitized rendering that pages output. Rows from before have no rendering yet: pages
-- show their plain source, encoded.
ALTER TABLE series ADD COLUMN tracks TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN description_html TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN description_html TEXT NOT NULL DEFAULT '';
-- Sessions made before publishing existed were public, so they stay so; the organizer pages create drafts.
ALTER TABLE sessions ADD COLUMN published INTEGER NOT NULL DEFAULT 1;
ALTER TABLE session_presenters ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE session_presenters ADD COLUMN bio_html TEXT NOT NULL DEFAULT '';

-- Handouts and recordings of a session. A file is named by the SHA-256 of its content under the data directory
-- (media/ab/abcdef…), so two sessions sharing a handout store it once and a row can never point at altered bytes.
CREATE TABLE session_media (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions(id),
    kind               TEXT NOT NULL CHECK (kind IN ('handout', 'recording')),
    title              TEXT NOT NULL,
    visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'registrants', 'staff')),
    file_name          TEXT NULL,
    content_type       TEXT NULL,
    sha256             TEXT NULL,
    size_bytes         INTEGER NULL,
    external_url       TEXT NULL,
    captions_sha256    TEXT NULL,
    published_utc_ms   INTEGER NULL,
    created_utc_ms     INTEGER NOT NULL,
    -- A file or a link, never both and never neither.
    CHECK ((sha256 IS NULL) <> (external_url IS NULL))
);
CREATE INDEX ix_session_media_session ON session_media (session_id, kind, created_utc_ms);
