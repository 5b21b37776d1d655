-- Erasure and retention (src/Silo/Privacy) must take a person's email out of the audit log and drop entries past their
-- retention period; everything else must still find the log append-only. A row in audit_maintenance, inserted and
-- deleted again inside the erasing or retention transaction, is the only thing that lets an UPDATE or DELETE through:
-- under READ COMMITTED no other transaction ever sees that uncommitted row.
CREATE TABLE audit_maintenance (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    reason  TEXT NOT NULL
);

CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_maintenance) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
