-- An organizer's Spanish and Chinese versions of a series' and a session's own text (title, description, presenters'
-- bios, certificate statement), as JSON kept by the row's one writer, its grain: nothing queries inside it, pages read
-- it with the row. Empty means no translation: every page shows the English original.
ALTER TABLE series ADD COLUMN translations TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN translations TEXT NOT NULL DEFAULT '';
