-- Watch progress (issue 14). A stored recording's length in milliseconds, measured from the file at upload (null for
-- a link, and for a file whose length could not be read: watching it earns no progress).
ALTER TABLE session_media ADD COLUMN length_ms BIGINT NULL;

-- One viewer's progress through one recording, written only by that view's grain (RecordingViewGrain), at most once a
-- minute. The viewer is a registration ('registration:<id>') or a signed-in person without one ('email:<address>').
-- spans: the stretches played at least once, as JSON [[from, to], ...] in seconds, sorted and disjoint.
CREATE TABLE recording_views (
    media_id          TEXT NOT NULL REFERENCES session_media(id) ON DELETE CASCADE,
    viewer            TEXT NOT NULL,
    registration_id   TEXT NULL,
    email             TEXT NULL,
    spans             TEXT NOT NULL,
    covered_ms        BIGINT NOT NULL CHECK (covered_ms >= 0),
    position_ms       BIGINT NOT NULL CHECK (position_ms >= 0),
    length_ms         BIGINT NOT NULL CHECK (length_ms > 0),
    first_utc_ms      BIGINT NOT NULL,
    updated_utc_ms    BIGINT NOT NULL,
    PRIMARY KEY (media_id, viewer)
);
CREATE INDEX ix_recording_views_registration ON recording_views (registration_id);
CREATE INDEX ix_recording_views_email ON recording_views (email);
