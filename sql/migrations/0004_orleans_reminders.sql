-- 0004: Orleans reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.2, invariant "Npgsql").
--
-- One row per (service id, grain id, reminder name). GrainHash is the grain's uniform hash code,
-- bound as int (the uint reinterpreted as signed), which the range queries compare in signed order.
-- Period is milliseconds (the provider binds int, or bigint above int range). StartTime is bound as
-- a UTC DateTime (DbType.DateTime, sent by Npgsql as timestamptz). Version is the reminder's ETag.

create table orleansreminderstable (
    serviceid    text        not null,
    grainid      text        not null,
    remindername text        not null,
    starttime    timestamptz not null,
    period       bigint      not null,
    grainhash    integer     not null,
    version      integer     not null,
    constraint orleansreminderstable_pkey primary key (serviceid, grainid, remindername)
);

create index orleansreminderstable_serviceid_grainhash_idx on orleansreminderstable (serviceid, grainhash);

comment on table orleansreminderstable is
    'Orleans reminders. Version is the ETag: every upsert increments it, delete requires it.';

-- Reminders of one grain.
insert into orleansquery (querykey, querytext) values ('ReadReminderRowsKey', $q$
select grainid      as "GrainId",
       remindername as "ReminderName",
       starttime    as "StartTime",
       period       as "Period",
       version      as "Version"
from orleansreminderstable
where serviceid = @ServiceId and grainid = @GrainId
$q$);

-- Reminders whose grain hash lies in the ring range (@BeginHash, @EndHash], used when the range does
-- not wrap in signed order (begin < end as signed ints).
insert into orleansquery (querykey, querytext) values ('ReadRangeRows1Key', $q$
select grainid      as "GrainId",
       remindername as "ReminderName",
       starttime    as "StartTime",
       period       as "Period",
       version      as "Version"
from orleansreminderstable
where serviceid = @ServiceId
  and grainhash > @BeginHash and grainhash <= @EndHash
$q$);

-- The same for a range that wraps around (begin >= end as signed ints, including the whole ring).
insert into orleansquery (querykey, querytext) values ('ReadRangeRows2Key', $q$
select grainid      as "GrainId",
       remindername as "ReminderName",
       starttime    as "StartTime",
       period       as "Period",
       version      as "Version"
from orleansreminderstable
where serviceid = @ServiceId
  and (grainhash > @BeginHash or grainhash <= @EndHash)
$q$);

-- One reminder, or no row.
insert into orleansquery (querykey, querytext) values ('ReadReminderRowKey', $q$
select grainid      as "GrainId",
       remindername as "ReminderName",
       starttime    as "StartTime",
       period       as "Period",
       version      as "Version"
from orleansreminderstable
where serviceid = @ServiceId and grainid = @GrainId and remindername = @ReminderName
$q$);

-- Register or change a reminder (last writer wins, as the provider contract requires). Atomic under
-- concurrency through ON CONFLICT on the primary key; every change gets a new version, so an ETag
-- read before the change no longer deletes the reminder. Returns the new version.
insert into orleansquery (querykey, querytext) values ('UpsertReminderRowKey', $q$
insert into orleansreminderstable as r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
on conflict (serviceid, grainid, remindername) do update
set starttime = excluded.starttime,
    period = excluded.period,
    grainhash = excluded.grainhash,
    version = r.version + 1
returning r.version as "Version"
$q$);

-- Unregister a reminder only if it is still at the caller's version. One boolean column.
insert into orleansquery (querykey, querytext) values ('DeleteReminderRowKey', $q$
with deleted as (
    delete from orleansreminderstable
    where serviceid = @ServiceId and grainid = @GrainId and remindername = @ReminderName
      and version = @Version
    returning 1
)
select count(*) > 0 from deleted
$q$);

-- Remove every reminder of the service (used by tests).
insert into orleansquery (querykey, querytext) values ('DeleteReminderRowsKey', $q$
delete from orleansreminderstable
where serviceid = @ServiceId
$q$);
