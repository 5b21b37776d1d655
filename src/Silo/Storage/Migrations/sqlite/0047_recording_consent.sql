-- A session the organizer records says so on its page and registration form; one that also asks for consent asks each
-- registrant whether they agree to appear in the recording. Asking only makes sense for a recorded session, which the
-- check keeps true whatever writes the row.
ALTER TABLE sessions ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN recording_consent_required INTEGER NOT NULL DEFAULT 0
    CHECK (recording_consent_required = 0 OR recorded = 1);

-- The registrant's answer, kept with the registration and exported with it: 1 consents to appearing in the recording,
-- 0 does not (they keep camera and microphone off; the seat is theirs either way), null was never asked.
ALTER TABLE registrations ADD COLUMN recording_consent INTEGER NULL;
