-- 0044: projection dead letters. A grain's outbox event that the database refuses for good (a CHECK,
-- a bad reference, a value out of range: SQL state classes 22 and 23) is tried a bounded number of
-- times, then recorded here with its error and removed from the outbox, so the grain's later events
-- are projected. An operational table beside the data model's 76: operators list the unresolved
-- ones (GET /api/admin/projections/dead-letters) and mark each resolved once handled.

create table projection_dead_letters (
    id                 bigint generated always as identity primary key,
    grain_type         varchar(60) not null,
    grain_key          varchar(200) not null,
    event_id           uuid not null,
    event_type         varchar(100) not null,
    payload            jsonb check (payload is null or jsonb_typeof(payload) = 'object'),
    error_message      text not null,
    sql_state          char(5),
    attempts           integer not null check (attempts > 0),
    first_failed_at    timestamptz not null,
    last_failed_at     timestamptz not null check (last_failed_at >= first_failed_at),
    resolved_at        timestamptz,
    resolved_by        bigint references users (id) on delete set null,
    created_at         timestamptz not null default now(),
    -- Recording the same event of the same grain twice (a crash between recording it and removing
    -- it from the outbox) keeps one row.
    unique (grain_type, grain_key, event_id),
    check (resolved_by is null or resolved_at is not null)
);

-- The operator's list: unresolved first, newest first.
create index ix_projection_dead_letters_unresolved on projection_dead_letters (last_failed_at desc) where resolved_at is null;
create index ix_projection_dead_letters_resolved_by on projection_dead_letters (resolved_by);

comment on table projection_dead_letters is
    'Outbox events a projection could not apply after its bounded retries (operational, not part of the data model).';
