-- 0002: Orleans cluster membership (Microsoft.Orleans.Clustering.AdoNet 10.4.2, invariant "Npgsql").
--
-- One version row per cluster (DeploymentId = ClusterOptions.ClusterId) and one row per silo
-- incarnation (address, port, generation). Every membership change (insert or update of a silo row)
-- is conditional on the version the writer read and increments it in the same statement, so two
-- silos that both read version N cannot both change the table: the second sees version N+1 and gets
-- false back. Heartbeats (UpdateIAmAlivetimeKey) and cleanup of dead rows do not change the version.
--
-- Timestamps are timestamptz: the provider binds DateTime parameters with DbType.DateTime, which
-- Npgsql sends as timestamptz, and only accepts DateTime values of Kind=Utc for that type (Orleans
-- passes UTC values). Reads come back as Kind=Utc.

create table orleansmembershipversiontable (
    deploymentid text        not null,
    changedat    timestamptz not null default now(),
    version      integer     not null default 0,
    constraint orleansmembershipversiontable_pkey primary key (deploymentid)
);

create table orleansmembershiptable (
    deploymentid text        not null,
    address      text        not null,
    port         integer     not null,
    generation   integer     not null,
    siloname     text        not null,
    hostname     text        not null,
    status       integer     not null,
    proxyport    integer     not null default 0,
    suspecttimes text,
    starttime    timestamptz not null,
    iamalivetime timestamptz not null,
    constraint orleansmembershiptable_pkey primary key (deploymentid, address, port, generation),
    constraint orleansmembershiptable_deploymentid_fkey foreign key (deploymentid)
        references orleansmembershipversiontable (deploymentid) on delete cascade
);

comment on table orleansmembershipversiontable is
    'Orleans membership table version (one row per cluster id); bumped by every membership row change.';
comment on table orleansmembershiptable is
    'Orleans membership: one row per silo incarnation. Status 3 = Active, 6 = Dead.';

-- Creates the cluster's version row (version 0) unless it exists. One boolean column: inserted or not.
insert into orleansquery (querykey, querytext) values ('InsertMembershipVersionKey', $q$
with created as (
    insert into orleansmembershipversiontable (deploymentid)
    values (@DeploymentId)
    on conflict (deploymentid) do nothing
    returning 1
)
select count(*) > 0 from created
$q$);

-- All silo rows of a cluster with the table version. The version row drives the query (left join)
-- so that a cluster without silos still returns one row carrying the version; one statement reads
-- the version and the rows from one snapshot.
insert into orleansquery (querykey, querytext) values ('MembershipReadAllKey', $q$
select v.version      as "Version",
       m.deploymentid as "DeploymentId",
       m.address      as "Address",
       m.port         as "Port",
       m.generation   as "Generation",
       m.siloname     as "SiloName",
       m.hostname     as "HostName",
       m.status       as "Status",
       m.proxyport    as "ProxyPort",
       m.suspecttimes as "SuspectTimes",
       m.starttime    as "StartTime",
       m.iamalivetime as "IAmAliveTime"
from orleansmembershipversiontable v
left join orleansmembershiptable m on m.deploymentid = v.deploymentid
where v.deploymentid = @DeploymentId
$q$);

-- One silo row (or none) with the table version; always at least the version row.
insert into orleansquery (querykey, querytext) values ('MembershipReadRowKey', $q$
select v.version      as "Version",
       m.deploymentid as "DeploymentId",
       m.address      as "Address",
       m.port         as "Port",
       m.generation   as "Generation",
       m.siloname     as "SiloName",
       m.hostname     as "HostName",
       m.status       as "Status",
       m.proxyport    as "ProxyPort",
       m.suspecttimes as "SuspectTimes",
       m.starttime    as "StartTime",
       m.iamalivetime as "IAmAliveTime"
from orleansmembershipversiontable v
left join orleansmembershiptable m
       on m.deploymentid = v.deploymentid
      and m.address = @Address
      and m.port = @Port
      and m.generation = @Generation
where v.deploymentid = @DeploymentId
$q$);

-- Adds a silo row if the table is still at @Version (the version the caller read) and the silo row
-- does not exist yet; bumps the version in the same statement. Locking the version row first makes
-- concurrent writers queue; a writer that waited re-checks "version = @Version" against the
-- committed row and finds nothing. Nothing is changed unless both the insert and the bump happen.
insert into orleansquery (querykey, querytext) values ('InsertMembershipKey', $q$
with expected as (
    select deploymentid
    from orleansmembershipversiontable
    where deploymentid = @DeploymentId and version = @Version
    for update
), inserted as (
    insert into orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    select expected.deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           @StartTime, @IAmAliveTime
    from expected
    on conflict (deploymentid, address, port, generation) do nothing
    returning deploymentid
), bumped as (
    update orleansmembershipversiontable t
    set version = t.version + 1, changedat = now()
    from inserted
    where t.deploymentid = inserted.deploymentid
    returning t.version
)
select count(*) > 0 from bumped
$q$);

-- Changes a silo row's status, suspicions and heartbeat if the table is still at @Version; bumps the
-- version in the same statement. Same locking argument as InsertMembershipKey.
insert into orleansquery (querykey, querytext) values ('UpdateMembershipKey', $q$
with expected as (
    select deploymentid
    from orleansmembershipversiontable
    where deploymentid = @DeploymentId and version = @Version
    for update
), changed as (
    update orleansmembershiptable m
    set status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
    from expected
    where m.deploymentid = expected.deploymentid
      and m.address = @Address and m.port = @Port and m.generation = @Generation
    returning m.deploymentid
), bumped as (
    update orleansmembershipversiontable t
    set version = t.version + 1, changedat = now()
    from changed
    where t.deploymentid = changed.deploymentid
    returning t.version
)
select count(*) > 0 from bumped
$q$);

-- Heartbeat: unconditional, does not touch the version (membership decisions use the version; the
-- heartbeat time is a best-effort liveness observation).
insert into orleansquery (querykey, querytext) values ('UpdateIAmAlivetimeKey', $q$
update orleansmembershiptable
set iamalivetime = @IAmAliveTime
where deploymentid = @DeploymentId
  and address = @Address and port = @Port and generation = @Generation
$q$);

-- Gateways of active silos (@Status = 3) for clients: address, gateway port and generation.
insert into orleansquery (querykey, querytext) values ('GatewaysQueryKey', $q$
select address    as "Address",
       proxyport  as "ProxyPort",
       generation as "Generation"
from orleansmembershiptable
where deploymentid = @DeploymentId and status = @Status and proxyport > 0
$q$);

-- Removes a whole cluster: its version row and, by cascade, its silo rows.
insert into orleansquery (querykey, querytext) values ('DeleteMembershipTableEntriesKey', $q$
delete from orleansmembershipversiontable
where deploymentid = @DeploymentId
$q$);

-- Bulk cleanup of dead silo rows whose start and last heartbeat are older than @IAmAliveTime.
-- Only used by the provider when CleanupDefunctSiloEntryKey below is absent.
insert into orleansquery (querykey, querytext) values ('CleanupDefunctSiloEntriesKey', $q$
delete from orleansmembershiptable
where deploymentid = @DeploymentId
  and status = 6
  and starttime < @IAmAliveTime
  and iamalivetime < @IAmAliveTime
$q$);

-- Optional key (10.4.x): the provider reads all rows, picks the dead ones old enough, and deletes
-- each only if it still holds the values it read (status, start, heartbeat, suspicions), so a row
-- changed meanwhile is left alone. Does not change the version.
insert into orleansquery (querykey, querytext) values ('CleanupDefunctSiloEntryKey', $q$
delete from orleansmembershiptable
where deploymentid = @DeploymentId
  and address = @Address and port = @Port and generation = @Generation
  and status = 6
  and starttime = @StartTime
  and iamalivetime = @IAmAliveTime
  and coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '')
$q$);
