-- A counter that moves whenever what the catalog pages show changes, so every web node can drop its cached copy of
-- those pages within a second (it polls this one row) instead of serving them stale until they expire.
CREATE TABLE catalog_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);

CREATE TRIGGER tr_catalog_series_insert AFTER INSERT ON series BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER tr_catalog_series_update AFTER UPDATE ON series BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER tr_catalog_series_delete AFTER DELETE ON series BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER tr_catalog_sessions_insert AFTER INSERT ON sessions BEGIN UPDATE catalog_version SET version = version + 1; END;
CREATE TRIGGER tr_catalog_sessions_delete AFTER DELETE ON sessions BEGIN UPDATE catalog_version SET version = version + 1; END;
-- Registrations move the seat counters on every turn; the catalog page shows no seats, so those updates leave the
-- version alone. Any other change to a session (times, title, capacity, closing, cancelling, publishing) moves it.
CREATE TRIGGER tr_catalog_sessions_update AFTER UPDATE ON sessions
    WHEN OLD.confirmed_count = NEW.confirmed_count AND OLD.waitlisted_count = NEW.waitlisted_count
BEGIN UPDATE catalog_version SET version = version + 1; END;
