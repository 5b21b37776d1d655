-- The organisation's identity (name, logo, signature, provider/approval number) for the site, emails and certificates:
-- one row, written by admins. Images are small (a few hundred KB at most) and kept in the database so every web node
-- and silo serves the same ones without a shared volume.
CREATE TABLE branding (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    organisation_name  TEXT NOT NULL,
    provider_number    TEXT NULL,
    signatory_name     TEXT NULL,
    signatory_title    TEXT NULL,
    logo               BLOB NULL,
    logo_type          TEXT NULL,
    logo_width         INTEGER NULL,
    logo_height        INTEGER NULL,
    logo_sha256        TEXT NULL,
    signature          BLOB NULL,
    signature_type     TEXT NULL,
    signature_width    INTEGER NULL,
    signature_height   INTEGER NULL,
    signature_sha256   TEXT NULL,
    updated_utc_ms     BIGINT NOT NULL
);

-- An in-person training's street address, for the catalog card, the session page and the map link (the venue keeps
-- its name).
ALTER TABLE sessions ADD COLUMN venue_address TEXT NULL;
