-- Orleans' ADO.NET clustering on LearnHub's PostgreSQL: the membership table through which the silos of every LearnHub
-- process find each other, and the named queries Orleans' provider loads at start (it runs only these). The provider
-- reads and writes by the column and parameter names its contract fixes (QueryKey/QueryText; DeploymentId, Address,
-- Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version); the SQL
-- behind each name is LearnHub's own. Times are timestamptz: the provider sends and expects UTC.

CREATE TABLE orleansquery (
    querykey  VARCHAR(64) PRIMARY KEY,
    querytext TEXT NOT NULL
);

-- One row per cluster: the table version every membership change must name (optimistic concurrency).
CREATE TABLE orleansmembershipversiontable (
    deploymentid VARCHAR(150) PRIMARY KEY,
    changed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable (
    deploymentid VARCHAR(150) NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      VARCHAR(45) NOT NULL,
    port         INTEGER NOT NULL,
    generation   INTEGER NOT NULL,
    siloname     VARCHAR(150) NOT NULL,
    hostname     VARCHAR(150) NOT NULL,
    status       INTEGER NOT NULL,
    proxyport    INTEGER,
    suspecttimes VARCHAR(8000),
    starttime    TIMESTAMPTZ NOT NULL,
    iamalivetime TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- A membership write succeeds only against the table version its writer read, and moves that version on; when the
-- row part fails (the silo is already there, or gone), the version bump is rolled back with it and the answer is
-- false, which makes Orleans read the table again. (A joining silo has no suspicions: the provider sends none on insert.)
CREATE FUNCTION learnhub_orleans_insert_member(
    p_deployment VARCHAR, p_address VARCHAR, p_port INTEGER, p_generation INTEGER, p_silo_name VARCHAR,
    p_host_name VARCHAR, p_status INTEGER, p_proxy_port INTEGER, p_suspect_times VARCHAR, p_start TIMESTAMPTZ,
    p_alive TIMESTAMPTZ, p_version INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleansmembershipversiontable SET version = version + 1, changed_at = now()
     WHERE deploymentid = p_deployment AND version = p_version;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, suspecttimes, starttime, iamalivetime)
    VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
            NULLIF(p_suspect_times, ''), p_start, p_alive);
    RETURN TRUE;
EXCEPTION WHEN unique_violation THEN
    RETURN FALSE;
END;
$fn$;

CREATE FUNCTION learnhub_orleans_update_member(
    p_deployment VARCHAR, p_address VARCHAR, p_port INTEGER, p_generation INTEGER, p_status INTEGER,
    p_suspect_times VARCHAR, p_alive TIMESTAMPTZ, p_version INTEGER) RETURNS BOOLEAN
LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleansmembershipversiontable SET version = version + 1, changed_at = now()
     WHERE deploymentid = p_deployment AND version = p_version;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = NULLIF(p_suspect_times, ''), iamalivetime = p_alive
     WHERE deploymentid = p_deployment AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN TRUE;
EXCEPTION WHEN no_data_found THEN
    RETURN FALSE;
END;
$fn$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
    WITH created AS (
        INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM created)'),
('MembershipReadAllKey', '
    SELECT v.deploymentid AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
           m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime, v.version AS Version
      FROM orleansmembershipversiontable v
      LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
     WHERE v.deploymentid = @DeploymentId'),
('MembershipReadRowKey', '
    SELECT v.deploymentid AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
           m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime, v.version AS Version
      FROM orleansmembershipversiontable v
      LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
           AND m.address = @Address::varchar AND m.port = @Port::integer AND m.generation = @Generation::integer
     WHERE v.deploymentid = @DeploymentId'),
('InsertMembershipKey', '
    SELECT learnhub_orleans_insert_member(@DeploymentId::varchar, @Address::varchar, @Port::integer,
        @Generation::integer, @SiloName::varchar, @HostName::varchar, @Status::integer, @ProxyPort::integer,
        NULL, @StartTime::timestamptz, @IAmAliveTime::timestamptz, @Version::integer)'),
('UpdateMembershipKey', '
    SELECT learnhub_orleans_update_member(@DeploymentId::varchar, @Address::varchar, @Port::integer,
        @Generation::integer, @Status::integer, @SuspectTimes::varchar, @IAmAliveTime::timestamptz, @Version::integer)'),
('UpdateIAmAlivetimeKey', '
    UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime::timestamptz
     WHERE deploymentid = @DeploymentId AND address = @Address::varchar AND port = @Port::integer
       AND generation = @Generation::integer'),
('GatewaysQueryKey', '
    SELECT address AS Address, proxyport AS ProxyPort, generation AS Generation
      FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = @Status::integer AND proxyport > 0'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId'),
-- Status 6 means Dead: only dead rows are ever cleaned up.
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = 6 AND iamalivetime < @IAmAliveTime::timestamptz
       AND starttime < @IAmAliveTime::timestamptz AND suspecttimes IS NULL'),
('CleanupDefunctSiloEntryKey', '
    DELETE FROM orleansmembershiptable
     WHERE deploymentid = @DeploymentId AND status = 6
       AND address = @Address::varchar AND port = @Port::integer AND generation = @Generation::integer
       AND iamalivetime = @IAmAliveTime::timestamptz AND starttime = @StartTime::timestamptz
       AND COALESCE(suspecttimes, '''') = COALESCE(@SuspectTimes::varchar, '''')');
