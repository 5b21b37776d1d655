-- A counter that moves whenever what the catalog pages show changes, so every web node can drop its cached copy of
-- those pages within a second (it polls this one row) instead of serving them stale until they expire.
CREATE TABLE catalog_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);

CREATE FUNCTION learnhub_bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END;
$fn$;

CREATE TRIGGER tr_catalog_series AFTER INSERT OR UPDATE OR DELETE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION learnhub_bump_catalog_version();
CREATE TRIGGER tr_catalog_sessions_insert_delete AFTER INSERT OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION learnhub_bump_catalog_version();
-- Registrations move the seat counters on every turn; the catalog page shows no seats, so those updates leave the
-- version (and its row lock) alone. Any other change to a session (times, title, capacity, closing, cancelling,
-- publishing) moves it.
CREATE TRIGGER tr_catalog_sessions_update AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (OLD.confirmed_count = NEW.confirmed_count AND OLD.waitlisted_count = NEW.waitlisted_count)
    EXECUTE FUNCTION learnhub_bump_catalog_version();
