-- 0003: Orleans grain state (Microsoft.Orleans.Persistence.AdoNet 10.4.2, invariant "Npgsql").
--
-- One row per grain state: identity = service id, grain type (hash and string) and grain id (hash,
-- n0, n1, extension string). The provider binds GrainIdHash/GrainTypeHash as int, GrainIdN0/N1 as
-- bigint, GrainStateVersion as int (NULL for a grain that has no ETag yet), PayloadBinary as bytea.
--
-- Improvement over a plain lookup index: the identity is a UNIQUE key (NULLS NOT DISTINCT, so a NULL
-- extension string is one identity, not many). Two concurrent first writes of one grain therefore
-- cannot both insert: the second INSERT waits for the first, then does nothing, returns no version,
-- and the provider raises InconsistentStateException (an ETag conflict), never a duplicate row or a
-- raw unique violation. A string key plus type name above roughly 2.5 KB would exceed the b-tree
-- entry limit of this key; grain keys are expected to be far shorter.

create table orleansstorage (
    id                     bigint      generated always as identity,
    serviceid              text        not null,
    graintypehash          integer     not null,
    graintypestring        text        not null,
    grainidhash            integer     not null,
    grainidn0              bigint      not null,
    grainidn1              bigint      not null,
    grainidextensionstring text,
    payloadbinary          bytea,
    modifiedon             timestamptz not null default now(),
    version                integer     not null,
    constraint orleansstorage_pkey primary key (id),
    -- The hashes lead so that the equality lookups of every query below use this index.
    constraint orleansstorage_grain_identity unique nulls not distinct
        (grainidhash, graintypehash, serviceid, grainidn0, grainidn1, graintypestring, grainidextensionstring)
);

comment on table orleansstorage is
    'Orleans grain state. Version is the ETag; PayloadBinary NULL means cleared (record does not exist).';
comment on constraint orleansstorage_grain_identity on orleansstorage is
    'One row per grain state: makes concurrent first writes of one grain conflict instead of duplicating.';

-- Current state and version of one grain; no row when it was never written.
insert into orleansquery (querykey, querytext) values ('ReadFromStorageKey', $q$
select payloadbinary as "PayloadBinary",
       version       as "Version"
from orleansstorage
where grainidhash = @GrainIdHash
  and graintypehash = @GrainTypeHash
  and serviceid = @ServiceId
  and grainidn0 = @GrainIdN0
  and grainidn1 = @GrainIdN1
  and graintypestring = @GrainTypeString
  and grainidextensionstring is not distinct from @GrainIdExtensionString
$q$);

-- Write. With @GrainStateVersion NULL (the grain holds no ETag) it may only create the row, at
-- version 1; if the row exists or a concurrent first write wins, ON CONFLICT DO NOTHING yields no
-- row. With @GrainStateVersion set it may only update the row still at that version, to version + 1.
-- Exactly one of the two branches can produce a row; no row means "version conflict" and the
-- provider throws InconsistentStateException.
insert into orleansquery (querykey, querytext) values ('WriteToStorageKey', $q$
with created as (
    insert into orleansstorage
        (serviceid, graintypehash, graintypestring, grainidhash, grainidn0, grainidn1,
         grainidextensionstring, payloadbinary, version)
    select @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
           @GrainIdExtensionString, @PayloadBinary, 1
    where @GrainStateVersion is null
    on conflict on constraint orleansstorage_grain_identity do nothing
    returning version
), updated as (
    update orleansstorage
    set payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
    where @GrainStateVersion is not null
      and grainidhash = @GrainIdHash
      and graintypehash = @GrainTypeHash
      and serviceid = @ServiceId
      and grainidn0 = @GrainIdN0
      and grainidn1 = @GrainIdN1
      and graintypestring = @GrainTypeString
      and grainidextensionstring is not distinct from @GrainIdExtensionString
      and version = @GrainStateVersion
    returning version
)
select version as "NewGrainStateVersion" from created
union all
select version from updated
$q$);

-- Clear (DeleteStateOnClear = false): keeps the row with a NULL payload and a new version, so the
-- version keeps growing and a stale ETag can never match again. No row returned = version conflict.
insert into orleansquery (querykey, querytext) values ('ClearStorageKey', $q$
update orleansstorage
set payloadbinary = null, version = version + 1, modifiedon = now()
where grainidhash = @GrainIdHash
  and graintypehash = @GrainTypeHash
  and serviceid = @ServiceId
  and grainidn0 = @GrainIdN0
  and grainidn1 = @GrainIdN1
  and graintypestring = @GrainTypeString
  and grainidextensionstring is not distinct from @GrainIdExtensionString
  and version = @GrainStateVersion
returning version as "NewGrainStateVersion"
$q$);

-- Clear with DeleteStateOnClear = true: deletes the row if it is still at the caller's version. The
-- provider only needs a value different from the caller's ETag on success (it then forgets the
-- ETag); no row = version conflict.
insert into orleansquery (querykey, querytext) values ('DeleteStorageKey', $q$
delete from orleansstorage
where grainidhash = @GrainIdHash
  and graintypehash = @GrainTypeHash
  and serviceid = @ServiceId
  and grainidn0 = @GrainIdN0
  and grainidn1 = @GrainIdN1
  and graintypestring = @GrainTypeString
  and grainidextensionstring is not distinct from @GrainIdExtensionString
  and version = @GrainStateVersion
returning version + 1 as "NewGrainStateVersion"
$q$);
