-- A session may open registration later than its publishing and close it before its start (the organizer's window,
-- entered in the session's zone, stored in UTC). Null: open from publishing, closed at the start, as before.
ALTER TABLE sessions ADD COLUMN registration_opens_utc_ms INTEGER NULL;
ALTER TABLE sessions ADD COLUMN registration_closes_utc_ms INTEGER NULL;
