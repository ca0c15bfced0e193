-- 0010: extensions, Portuguese accent-insensitive full-text search and shared helper functions.
-- Everything later migrations rely on: unaccent/pg_trgm, portuguese_unaccent, set_updated_at(),
-- ensure_updated_at_triggers(). Runs inside one transaction (no CONCURRENTLY, no VACUUM).

-- unaccent and pg_trgm are "trusted" extensions since PostgreSQL 13: the database owner may create
-- them without superuser rights.
create extension if not exists unaccent with schema public;
create extension if not exists pg_trgm with schema public;

-- unaccent(text) is only STABLE (it depends on search_path to find its dictionary), so it cannot
-- appear in an index expression. This wrapper pins the dictionary and the function by schema, which
-- makes marking it IMMUTABLE honest.
create or replace function public.immutable_unaccent(text)
returns text
language sql
immutable
parallel safe
strict
as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

comment on function public.immutable_unaccent(text) is
    'unaccent() with a fixed dictionary; IMMUTABLE so it can be used in index expressions (e.g. trigram search).';

-- portuguese_unaccent = the built-in portuguese configuration with unaccent in front of the stemmer,
-- so that "cafe" matches "café" and "acucar" matches "açúcar". asciiword tokens carry no accents and
-- keep the plain stemmer.
do $$
begin
    if not exists (select 1 from pg_ts_config where cfgname = 'portuguese_unaccent'
                   and cfgnamespace = 'public'::regnamespace) then
        create text search configuration public.portuguese_unaccent (copy = pg_catalog.portuguese);
        alter text search configuration public.portuguese_unaccent
            alter mapping for hword, hword_part, word
            with public.unaccent, pg_catalog.portuguese_stem;
    end if;
end
$$;

comment on text search configuration public.portuguese_unaccent is
    'Portuguese stemming with accents removed first; used by every full-text index of the model.';

-- Shared trigger function: keeps updated_at honest on every UPDATE, whatever the writer sends.
create or replace function public.set_updated_at()
returns trigger
language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end
$$;

comment on function public.set_updated_at() is
    'BEFORE UPDATE row trigger: sets updated_at = now(). Attached by ensure_updated_at_triggers().';

-- Attaches set_updated_at() (trigger "trg_<table>_updated_at") to every table in the public schema
-- that has an updated_at column and does not have the trigger yet. Each domain migration calls it
-- at its end, so a new table with updated_at can never be forgotten. Partitions are skipped: a
-- trigger on a partitioned parent is cloned to its partitions by PostgreSQL itself. The Orleans
-- provider tables are left alone.
create or replace function public.ensure_updated_at_triggers()
returns integer
language plpgsql
as $$
declare
    t record;
    n integer := 0;
begin
    for t in
        select c.oid::regclass as rel, c.relname
        from pg_class c
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
        where c.relnamespace = 'public'::regnamespace
          and c.relkind in ('r', 'p')
          and not c.relispartition
          and c.relname not like 'orleans%'   -- the Orleans provider tables (0001-0009) are not ours
          and not exists (select 1 from pg_trigger tg
                          where tg.tgrelid = c.oid and tg.tgname = 'trg_' || c.relname || '_updated_at')
    loop
        execute format('create trigger %I before update on %s for each row execute function public.set_updated_at()',
                       'trg_' || t.relname || '_updated_at', t.rel);
        n := n + 1;
    end loop;
    return n;
end
$$;

comment on function public.ensure_updated_at_triggers() is
    'Attaches set_updated_at() to every public table with an updated_at column that lacks it; returns how many were attached.';

-- Monthly RANGE partitions for a table partitioned on one date/timestamptz column.
-- Creates <table>_YYYY_MM for `months` months starting at the month of from_month (month bounds in
-- UTC), plus <table>_default when missing. Idempotent: existing partitions are skipped. If the
-- DEFAULT partition already holds rows of a month being created, they are moved into the new
-- partition in the same transaction (otherwise PostgreSQL would refuse to create it).
-- Returns the number of monthly partitions created. Called by migrations and by the scheduled
-- maintenance task "partitions.create_ahead".
create or replace function public.create_monthly_partitions(parent regclass, from_month date, months integer)
returns integer
language plpgsql
as $$
declare
    v_schema    text;
    v_table     text;
    v_strategy  char;
    v_natts     smallint;
    v_attnum    smallint;
    v_keycol    text;
    v_keytype   regtype;
    v_month     date;
    v_next      date;
    v_name      text;
    v_from      text;
    v_to        text;
    v_has_rows  boolean;
    v_created   integer := 0;
begin
    if months is null or months < 1 then
        raise exception 'create_monthly_partitions: months must be >= 1 (got %)', months;
    end if;

    select n.nspname, c.relname into v_schema, v_table
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.oid = parent;

    select pt.partstrat, pt.partnatts, pt.partattrs[0] into v_strategy, v_natts, v_attnum
    from pg_partitioned_table pt where pt.partrelid = parent;

    if v_strategy is distinct from 'r' or v_natts <> 1 or v_attnum = 0 then
        raise exception 'create_monthly_partitions: % is not range-partitioned on a single column', parent;
    end if;

    select a.attname, a.atttypid::regtype into v_keycol, v_keytype
    from pg_attribute a where a.attrelid = parent and a.attnum = v_attnum;

    if v_keytype not in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) then
        raise exception 'create_monthly_partitions: partition key %.% has type %, expected a date or timestamp',
            parent, v_keycol, v_keytype;
    end if;

    if to_regclass(format('%I.%I', v_schema, v_table || '_default')) is null then
        execute format('create table %I.%I partition of %s default', v_schema, v_table || '_default', parent);
    end if;

    v_month := date_trunc('month', from_month)::date;
    for i in 1 .. months loop
        v_next := (v_month + interval '1 month')::date;
        v_name := v_table || '_' || to_char(v_month, 'YYYY_MM');
        if to_regclass(format('%I.%I', v_schema, v_name)) is null then
            -- timestamptz bounds are written with an explicit UTC offset so that the session
            -- TimeZone at creation time cannot shift them
            if v_keytype = 'timestamptz'::regtype then
                v_from := to_char(v_month, 'YYYY-MM-DD') || ' 00:00:00+00';
                v_to   := to_char(v_next,  'YYYY-MM-DD') || ' 00:00:00+00';
            else
                v_from := to_char(v_month, 'YYYY-MM-DD');
                v_to   := to_char(v_next,  'YYYY-MM-DD');
            end if;

            execute format('select exists (select 1 from %I.%I where %I >= %L and %I < %L)',
                           v_schema, v_table || '_default', v_keycol, v_from, v_keycol, v_to)
                into v_has_rows;

            if v_has_rows then
                execute format('create table %I.%I (like %s including defaults including constraints)',
                               v_schema, v_name, parent);
                execute format('with moved as (delete from %I.%I where %I >= %L and %I < %L returning *) '
                               'insert into %I.%I select * from moved',
                               v_schema, v_table || '_default', v_keycol, v_from, v_keycol, v_to,
                               v_schema, v_name);
                execute format('alter table %s attach partition %I.%I for values from (%L) to (%L)',
                               parent, v_schema, v_name, v_from, v_to);
            else
                execute format('create table %I.%I partition of %s for values from (%L) to (%L)',
                               v_schema, v_name, parent, v_from, v_to);
            end if;
            v_created := v_created + 1;
        end if;
        v_month := v_next;
    end loop;

    return v_created;
end
$$;

comment on function public.create_monthly_partitions(regclass, date, integer) is
    'Creates monthly (UTC) range partitions <table>_YYYY_MM for `months` months from from_month, plus <table>_default; idempotent; moves matching rows out of the default partition.';
