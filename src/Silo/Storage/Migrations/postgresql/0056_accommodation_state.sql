-- An accommodation request is tracked: its state ('requested', 'arranged', 'cannot-arrange'; null when the registration
-- asks for none), the organizer's note the registrant reads, and when the request was last made or changed (the
-- organizers' hourly digest takes the requests made since the previous digest).
ALTER TABLE registrations ADD COLUMN accommodation_state TEXT NULL;
ALTER TABLE registrations ADD COLUMN accommodation_note TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN accommodation_requested_utc_ms BIGINT NULL;

-- Requests made before this migration are open: they were never answered.
UPDATE registrations SET accommodation_state = 'requested', accommodation_requested_utc_ms = registered_utc_ms
WHERE accommodations <> '';

CREATE INDEX ix_registrations_accommodation_requested ON registrations (accommodation_requested_utc_ms)
    WHERE accommodation_state = 'requested';

-- One row per hourly digest sent to the organizers: the hour it belongs to (its key, so two silos firing in one hour
-- send one) and the instant it covers requests up to (the next digest starts there).
CREATE TABLE accommodation_digests (
    hour_bucket BIGINT NOT NULL PRIMARY KEY,
    covered_to_utc_ms BIGINT NOT NULL,
    request_count INTEGER NOT NULL
);

-- The reminder about open requests, 7 days before a session: once per session, whichever silo gets there first.
CREATE TABLE accommodation_reminders (
    session_id TEXT NOT NULL PRIMARY KEY,
    sent_utc_ms BIGINT NOT NULL,
    open_count INTEGER NOT NULL
);
