-- When the registrant last changed their own details through the manage link (null: never), so the organizer's
-- registrant list can mark the row; what changed is in the audit log.
ALTER TABLE registrations ADD COLUMN edited_utc_ms BIGINT NULL;
