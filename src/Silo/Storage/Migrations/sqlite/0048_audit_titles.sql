-- An audit entry names its object by the title it had when the entry was written (a series, session, course or media
-- item; a registrant by name), so the log reads without looking GUIDs up, and still reads after the object is renamed
-- or deleted. Older entries have none and show their id.
ALTER TABLE audit_log ADD COLUMN object_title TEXT NULL;
