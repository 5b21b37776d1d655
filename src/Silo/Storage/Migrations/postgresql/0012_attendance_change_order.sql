-- The order of one person's attendance changes. Two changes can share a millisecond (an import and a correction in
-- quick succession, or a pinned clock), so the instant alone cannot say which came last; the writer numbers them
-- 1, 2, 3 … per registration while it holds the session's row.
ALTER TABLE attendance_changes ADD COLUMN sequence INTEGER NULL;
CREATE UNIQUE INDEX ux_attendance_changes_sequence ON attendance_changes (registration_id, sequence);
