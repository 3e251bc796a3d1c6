-- 0001_orleans_providers.sql
--
-- PostgreSQL 15 schema for the Orleans 10.4.2 ADO.NET providers (invariant "Npgsql"):
--   Microsoft.Orleans.Clustering.AdoNet, Microsoft.Orleans.Reminders.AdoNet,
--   Microsoft.Orleans.Persistence.AdoNet.
--
-- The providers ship no SQL. At start-up they run the fixed statement
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- (unquoted, so PostgreSQL resolves it to orleansquery(querykey, querytext)) and later
-- execute each stored text with named parameters (@DeploymentId, @GrainIdHash, ...).
-- Npgsql binds those parameters with explicit types taken from the .NET values:
--   string -> text, int -> integer, long -> bigint, byte[] -> bytea,
--   DateTime -> timestamptz (DbType.DateTime, non-legacy Npgsql timestamp mode).
--
-- Result columns are looked up by name. Npgsql's GetOrdinal tries an exact match first and then
-- a case-insensitive one, so the tables below use lower-case snake_case names, and every SELECT
-- or RETURNING list aliases its columns with the exact quoted name the provider asks for
-- ("Version", "PayloadBinary", "NewGrainStateVersion", ...).
--
-- Run by the migrator inside a single transaction; safe to run again: every object is created
-- IF NOT EXISTS and every query text is upserted, so re-applying the file refreshes the texts.
-- Stored query texts contain no semicolons, no '@' outside parameters and no comments; the
-- explanations live here, next to each text.

-------------------------------------------------------------------------------------------------
-- Query registry
-------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT pk_orleansquery PRIMARY KEY (querykey)
);

-------------------------------------------------------------------------------------------------
-- Clustering (membership)
-------------------------------------------------------------------------------------------------
-- One row per cluster (the provider calls it DeploymentId; it carries ClusterOptions.ClusterId).
-- version is the membership table etag: every successful insert/update of a silo row bumps it.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_orleans_membership_version PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address, port, generation).
-- silo_name/host_name are NOT NULL because the reader casts them straight to string (a NULL would
-- throw InvalidCastException); the insert query maps a missing value to ''.
-- suspect_times holds the provider's own "silo,date|silo,date" text, or NULL.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT pk_orleans_membership PRIMARY KEY (deployment_id, address, port, generation),
    -- Deleting a cluster's version row removes its silo rows too (DeleteMembershipTableEntriesKey).
    CONSTRAINT fk_orleans_membership_version FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

-------------------------------------------------------------------------------------------------
-- Reminders
-------------------------------------------------------------------------------------------------
-- grain_id is GrainId.ToString(); grain_hash is GrainId.GetUniformHashCode() sent as a signed int.
-- period_ms is bigint because the provider sends the period as int or, above int.MaxValue ms, as long.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT pk_orleans_reminder PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Ring-range scans (ReadRangeRows1Key / ReadRangeRows2Key) filter on service and hash.
CREATE INDEX IF NOT EXISTS ix_orleans_reminder_service_hash
    ON orleans_reminder (service_id, grain_hash);

-------------------------------------------------------------------------------------------------
-- Grain storage
-------------------------------------------------------------------------------------------------
-- What the provider sends to identify a state record (and all of it is stored):
--   ServiceId, GrainTypeString (the *state name*, e.g. "state" for Grain<T> or the
--   [PersistentState] name - not the grain class), GrainTypeHash (hash of that string),
--   GrainIdHash (hash of the key bytes only), GrainIdN0/GrainIdN1 (guid or integer key parts,
--   0/0 for string keys) and GrainIdExtensionString (key extension, or the whole string key,
--   or NULL). payload NULL means "cleared": the row and its version survive a clear.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    id                        bigint GENERATED ALWAYS AS IDENTITY,
    service_id                text        NOT NULL,
    grain_type_hash           integer     NOT NULL,
    grain_type_string         text        NOT NULL,
    grain_id_hash             integer     NOT NULL,
    grain_id_n0               bigint      NOT NULL,
    grain_id_n1               bigint      NOT NULL,
    grain_id_extension_string text        NULL,
    payload                   bytea       NULL,
    version                   integer     NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    modified_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_orleans_grain_state PRIMARY KEY (id)
);

-- Trap 1 (grain type / state name is not in the hashed key) and trap 3 (concurrent first writes):
-- GrainIdHash covers only the key bytes, so the record identity must also carry the service and
-- the state name (hash AND full string, so two names with equal hashes still differ).
-- This is a real UNIQUE index so a second row for the same identity can never be inserted; the
-- write query turns the resulting conflict into "no row returned" = version conflict.
-- NULLS NOT DISTINCT (PostgreSQL 15+): without it two rows whose extension string is NULL
-- (every plain guid/integer key) would never conflict.
-- The two free-text parts are indexed through md5() so arbitrarily long state names / string keys
-- stay under the btree entry size limit; the queries still compare the full strings.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_grain_state_identity
    ON orleans_grain_state (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, service_id,
                            md5(grain_type_string), md5(grain_id_extension_string))
    NULLS NOT DISTINCT;

-------------------------------------------------------------------------------------------------
-- Query texts
-------------------------------------------------------------------------------------------------

-- InsertMembershipVersionKey (@DeploymentId) -> exactly one row, one boolean column:
-- true when the cluster's version row was created now, false when it already existed.
-- Idempotent: ON CONFLICT DO NOTHING, and the outer SELECT always yields a row (the provider
-- calls First() and requires a single column).
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version, changed_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- MembershipReadAllKey (@DeploymentId) -> one row per silo, or a single row with NULL silo
-- columns when there is none. The provider reads row 0 unconditionally (etag from "Version")
-- and treats a NULL "StartTime" as "no silo", so the cluster row is always returned; if even the
-- version row is missing, version 0 is reported instead of failing with an empty result.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadAllKey', $sql$
WITH wanted AS (
    SELECT CAST(@DeploymentId AS text) AS deployment_id
)
SELECT COALESCE(v.version, 0) AS "Version",
       m.address              AS "Address",
       m.port                 AS "Port",
       m.generation           AS "Generation",
       m.silo_name            AS "SiloName",
       m.host_name            AS "HostName",
       m.status               AS "Status",
       m.proxy_port           AS "ProxyPort",
       m.suspect_times        AS "SuspectTimes",
       m.start_time           AS "StartTime",
       m.i_am_alive_time      AS "IAmAliveTime"
FROM wanted w
LEFT JOIN orleans_membership_version v ON v.deployment_id = w.deployment_id
LEFT JOIN orleans_membership m ON m.deployment_id = w.deployment_id
ORDER BY m.address, m.port, m.generation
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- MembershipReadRowKey (@DeploymentId, @Address, @Port, @Generation) -> same shape as above,
-- at most one silo; the silo filter sits in the join so the version row is still returned.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadRowKey', $sql$
WITH wanted AS (
    SELECT CAST(@DeploymentId AS text) AS deployment_id
)
SELECT COALESCE(v.version, 0) AS "Version",
       m.address              AS "Address",
       m.port                 AS "Port",
       m.generation           AS "Generation",
       m.silo_name            AS "SiloName",
       m.host_name            AS "HostName",
       m.status               AS "Status",
       m.proxy_port           AS "ProxyPort",
       m.suspect_times        AS "SuspectTimes",
       m.start_time           AS "StartTime",
       m.i_am_alive_time      AS "IAmAliveTime"
FROM wanted w
LEFT JOIN orleans_membership_version v ON v.deployment_id = w.deployment_id
LEFT JOIN orleans_membership m
       ON m.deployment_id = w.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- InsertMembershipKey (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
-- @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) -> one row, one boolean.
-- @Version is the etag the caller read. The version row is bumped only if it still equals
-- @Version and the silo row does not exist yet; the silo row is inserted only if that bump
-- happened. The row lock on the version row serialises competing writers (a loser re-checks
-- version = @Version after the winner commits and gets false).
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1,
           changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND NOT EXISTS (SELECT 1
                         FROM orleans_membership
                        WHERE deployment_id = @DeploymentId
                          AND address = @Address
                          AND port = @Port
                          AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                    status, proxy_port, suspect_times, start_time, i_am_alive_time)
    SELECT b.deployment_id, @Address, @Port, @Generation, COALESCE(@SiloName, ''),
           COALESCE(@HostName, ''), @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
      FROM bumped b
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS "Inserted"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- UpdateMembershipKey (@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
-- @IAmAliveTime, @Version) -> one row, one boolean. Same optimistic scheme: bump the version
-- row from @Version only when the silo row exists, then update the silo row.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleans_membership_version
       SET version = version + 1,
           changed_at = now()
     WHERE deployment_id = @DeploymentId
       AND version = @Version
       AND EXISTS (SELECT 1
                     FROM orleans_membership
                    WHERE deployment_id = @DeploymentId
                      AND address = @Address
                      AND port = @Port
                      AND generation = @Generation)
    RETURNING deployment_id
), updated AS (
    UPDATE orleans_membership m
       SET status = @Status,
           suspect_times = @SuspectTimes,
           i_am_alive_time = @IAmAliveTime
      FROM bumped b
     WHERE m.deployment_id = b.deployment_id
       AND m.address = @Address
       AND m.port = @Port
       AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS "Updated"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- UpdateIAmAlivetimeKey (@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime)
-- -> executed, result ignored. Liveness heartbeats do not change the table version.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId
   AND address = @Address
   AND port = @Port
   AND generation = @Generation
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- GatewaysQueryKey (@DeploymentId, @Status = 3 Active) -> "Address", "ProxyPort", "Generation"
-- for every active silo that exposes a gateway (proxy port 0 means no gateway).
INSERT INTO orleansquery (querykey, querytext) VALUES ('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = @Status
   AND proxy_port > 0
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- DeleteMembershipTableEntriesKey (@DeploymentId) -> executed. Removes the cluster's version row;
-- its silo rows go with it through the ON DELETE CASCADE foreign key.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version
 WHERE deployment_id = @DeploymentId
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Trap 4: CleanupDefunctSiloEntriesKey (@DeploymentId, @IAmAliveTime = cut-off, UTC) -> executed.
-- The clustering provider refuses to start when this key is missing (DbStoredQueries checks every
-- key), and older Orleans PostgreSQL scripts lacked it. IMembershipTable documents the operation
-- as "delete dead silo entries older than the cut-off", and 10.4.2's own per-row variant only
-- deletes Dead (6) rows whose start and heartbeat are both older than the cut-off; this does the
-- same, so a slow but live Joining/ShuttingDown silo is never removed.
-- (The optional per-row key CleanupDefunctSiloEntryKey is deliberately not provided, so the
-- provider uses this set-based statement.)
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
 WHERE deployment_id = @DeploymentId
   AND status = 6
   AND i_am_alive_time < @IAmAliveTime
   AND start_time < @IAmAliveTime
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Reminder reads return "GrainId", "ReminderName", "StartTime", "Period", "Version".

-- ReadReminderRowsKey (@ServiceId, @GrainId) -> all reminders of one grain.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowsKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- ReadReminderRowKey (@ServiceId, @GrainId, @ReminderName) -> zero or one reminder.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_id = @GrainId
   AND reminder_name = @ReminderName
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- ReadRangeRows1Key (@ServiceId, @BeginHash, @EndHash): used when (int)begin < (int)end, i.e. the
-- ring range (begin, end] does not wrap in signed order. Hashes are compared as signed integers,
-- exactly as the provider casts them.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows1Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- ReadRangeRows2Key (@ServiceId, @BeginHash, @EndHash): the wrapping case (begin >= end), so the
-- range is (begin, max] plus [min, end]; begin = end yields the whole ring.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows2Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
  FROM orleans_reminder
 WHERE service_id = @ServiceId
   AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- UpsertReminderRowKey (@ServiceId, @GrainHash, @GrainId, @ReminderName, @StartTime, @Period)
-- -> one row with the new "Version" (the reminder etag). A single atomic upsert, so concurrent
-- registrations of the same reminder cannot fail on the primary key.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder AS r (service_id, grain_id, reminder_name, start_time, period_ms,
                                   grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = EXCLUDED.start_time,
       period_ms = EXCLUDED.period_ms,
       grain_hash = EXCLUDED.grain_hash,
       version = r.version + 1
RETURNING r.version AS "Version"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- DeleteReminderRowKey (@ServiceId, @GrainId, @ReminderName, @Version = etag) -> exactly one row,
-- one boolean: true only if the reminder existed with that etag and was deleted.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowKey', $sql$
WITH removed AS (
    DELETE FROM orleans_reminder
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed) AS "Deleted"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- DeleteReminderRowsKey (@ServiceId) -> executed.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- Grain storage queries all receive @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
-- @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, and match on every one of them.
-- Trap 2: @GrainIdExtensionString is NULL for plain guid/integer keys (and for string keys that
-- parse as hex integers), but '' for an integer key with an empty extension ("1+"), so it is
-- compared with IS NOT DISTINCT FROM: '=' would never match NULL (read-after-write would fail)
-- and NULL/'' must stay different records.

-- WriteToStorageKey (+ @GrainStateVersion = grain etag or NULL, @PayloadBinary)
-- -> zero or one row, "NewGrainStateVersion".
-- Etag NULL: first write, insert version 1. If the record already exists (another activation won
-- the race, trap 3) the unique index makes ON CONFLICT DO NOTHING skip the insert, no row comes
-- back, and the provider raises InconsistentStateException instead of a duplicate row or an
-- unhandled unique violation.
-- Etag set: update only if the stored version still equals it, bumping the version. A stale etag
-- matches nothing, no row comes back, and the provider reports a version conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
       SET payload = @PayloadBinary,
           version = version + 1,
           modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND version = @GrainStateVersion
       AND service_id = @ServiceId
       AND grain_type_hash = @GrainTypeHash
       AND grain_type_string = @GrainTypeString
       AND grain_id_hash = @GrainIdHash
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type_string, grain_id_hash,
                                     grain_id_n0, grain_id_n1, grain_id_extension_string,
                                     payload, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
           @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- ReadFromStorageKey -> zero or one row (the provider uses SingleOrDefault, which the unique
-- index guarantees): "PayloadBinary" (NULL after a clear) and "Version" (the etag).
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary",
       version AS "Version"
  FROM orleans_grain_state
 WHERE service_id = @ServiceId
   AND grain_type_hash = @GrainTypeHash
   AND grain_type_string = @GrainTypeString
   AND grain_id_hash = @GrainIdHash
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- ClearStorageKey (+ @GrainStateVersion) -> zero or one row; the provider reads column 0 as the
-- new etag. The payload is dropped but the row and a bumped version are kept, so a stale writer
-- still conflicts afterwards. A wrong or NULL etag matches nothing -> version conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ClearStorageKey', $sql$
UPDATE orleans_grain_state
   SET payload = NULL,
       version = version + 1,
       modified_at = now()
 WHERE version = @GrainStateVersion
   AND service_id = @ServiceId
   AND grain_type_hash = @GrainTypeHash
   AND grain_type_string = @GrainTypeString
   AND grain_id_hash = @GrainIdHash
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version AS "NewGrainStateVersion"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- DeleteStorageKey (optional; used only with AdoNetGrainStorageOptions.DeleteStateOnClear = true)
-- -> zero or one row. Removes the row; returns the old version + 1 because the provider only
-- accepts a value that differs from the etag it sent (it then resets the grain's etag to null).
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
 WHERE version = @GrainStateVersion
   AND service_id = @ServiceId
   AND grain_type_hash = @GrainTypeHash
   AND grain_type_string = @GrainTypeString
   AND grain_id_hash = @GrainIdHash
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND grain_id_extension_string IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version + 1 AS "NewGrainStateVersion"
$sql$) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
