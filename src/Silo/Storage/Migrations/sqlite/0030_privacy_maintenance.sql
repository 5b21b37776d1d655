-- Erasure and retention (src/Silo/Privacy) must take a person's email out of the audit log and drop entries past their
-- retention period; everything else must still find the log append-only. A row in audit_maintenance, inserted and
-- deleted again inside the erasing or retention transaction, is the only thing that lets an UPDATE or DELETE through:
-- SQLite's single writer means no other transaction can see it.
CREATE TABLE audit_maintenance (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    reason  TEXT NOT NULL
);

DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
