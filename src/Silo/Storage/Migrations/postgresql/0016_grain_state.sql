-- Grain state kept by Orleans' ADO.NET persistence (Microsoft.Orleans.Persistence.AdoNet): what no page, export or
-- job queries in SQL (a learner's preferences, the version of their calendar-feed token, and what later grains add).
-- The provider ships no SQL; it reads these named queries at start and binds its contract's parameters by name
-- (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
-- GrainStateVersion, PayloadBinary) and reads the columns PayloadBinary, Version and NewGrainStateVersion. The SQL
-- behind each name is LearnHub's own.
--
-- GrainTypeString holds the state's name (LearnHub gives every persistent state its own, so two grain types with one
-- key never share a row: dotnet/orleans#8746). The provider's own script indexes (GrainIdHash, GrainTypeHash) without
-- a unique key, so two first writes of one grain (a duplicate activation during a membership change) could both
-- insert; here the whole identity is unique and the second first write inserts nothing, which the provider reports as
-- a version conflict (InconsistentStateException) instead of leaving two rows.
CREATE TABLE orleansstorage (
    grainidhash            INTEGER NOT NULL,
    grainidn0              BIGINT NOT NULL,
    grainidn1              BIGINT NOT NULL,
    graintypehash          INTEGER NOT NULL,
    graintypestring        VARCHAR(512) NOT NULL,
    grainidextensionstring VARCHAR(512) NULL,
    serviceid              VARCHAR(150) NOT NULL,
    payloadbinary          BYTEA NULL,
    modifiedon             TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    version                INTEGER NULL
);
CREATE UNIQUE INDEX ux_orleansstorage_identity ON orleansstorage
    (grainidhash, graintypehash, grainidn0, grainidn1, graintypestring, COALESCE(grainidextensionstring, ''), serviceid);

-- One statement per call. A write with a version updates the row still at that version; a first write (no version)
-- inserts unless the row exists. Either way the new version comes back, or no row when the condition failed, which the
-- provider turns into InconsistentStateException: the ETag check.
INSERT INTO orleansquery (querykey, querytext) VALUES ('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleansstorage
    SET payloadbinary = @PayloadBinary, modifiedon = (now() AT TIME ZONE ''utc''), version = version + 1
    WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString AND COALESCE(grainidextensionstring, '''') = COALESCE(CAST(@GrainIdExtensionString AS VARCHAR), '''')
      AND serviceid = @ServiceId AND version = CAST(@GrainStateVersion AS INTEGER)
    RETURNING version
), inserted AS (
    INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid,
                                payloadbinary, modifiedon, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, CAST(@GrainIdExtensionString AS VARCHAR), @ServiceId,
           @PayloadBinary, (now() AT TIME ZONE ''utc''), 1
    WHERE CAST(@GrainStateVersion AS INTEGER) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS newgrainstateversion FROM updated
UNION ALL
SELECT version AS newgrainstateversion FROM inserted');

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadFromStorageKey', '
SELECT payloadbinary, version
FROM orleansstorage
WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString AND COALESCE(grainidextensionstring, '''') = COALESCE(CAST(@GrainIdExtensionString AS VARCHAR), '''')
  AND serviceid = @ServiceId');

-- Clearing keeps the row and its version (with DeleteStateOnClear off); LearnHub deletes instead (below), so an
-- erased learner leaves no row behind.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ClearStorageKey', '
UPDATE orleansstorage
SET payloadbinary = NULL, modifiedon = (now() AT TIME ZONE ''utc''), version = version + 1
WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString AND COALESCE(grainidextensionstring, '''') = COALESCE(CAST(@GrainIdExtensionString AS VARCHAR), '''')
  AND serviceid = @ServiceId AND version = CAST(@GrainStateVersion AS INTEGER)
RETURNING version AS newgrainstateversion');

INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteStorageKey', '
DELETE FROM orleansstorage
WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString AND COALESCE(grainidextensionstring, '''') = COALESCE(CAST(@GrainIdExtensionString AS VARCHAR), '''')
  AND serviceid = @ServiceId AND version = CAST(@GrainStateVersion AS INTEGER)
RETURNING version + 1 AS newgrainstateversion');

-- "My learning", a learner's feed and the learner grain read a person's registrations by email: with a million rows
-- that must not be a scan.
CREATE INDEX ix_registrations_email ON registrations (email_normalized, registered_utc_ms);

-- A series row's version, raised by every write of its grain: the catalog grain orders the reports it gets by it.
ALTER TABLE series ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
