-- 0095: observability. Health snapshots say which server took them; warnings and errors in
-- system_logs carry the trace id of the request that logged them (searchable beside the metrics and
-- traces); one function counts the rows that fell into default partitions, for the alert.

alter table system_health add column server_name varchar(200) not null default '';
-- The back office's view: the latest snapshot of each service on each server.
create index idx_system_health_server on system_health (server_name, service_name, checked_at desc);

alter table system_logs add column trace_id varchar(32) check (trace_id ~ '^[0-9a-f]{32}$');
create index idx_system_logs_trace on system_logs (trace_id) where trace_id is not null;
create index idx_system_logs_created on system_logs (created_at desc);
-- "Text" search over messages: a trigram index answers ILIKE '%...%' without a scan.
create index idx_system_logs_message_trgm on system_logs using gin (message gin_trgm_ops);

-- Rows in each default partition (counted up to 10 001, enough to say "some, and how bad"): a row
-- there means its month's partition was missing when it was written.
create or replace function public.default_partition_rows()
returns table (partition_name text, row_count bigint)
language plpgsql stable as $$
declare
    r record;
begin
    for r in
        select c.oid::regclass::text as name
        from pg_partitioned_table p
        join pg_class c on c.oid = p.partdefid
        where p.partdefid <> 0
        order by 1
    loop
        partition_name := r.name;
        execute format('select count(*) from (select 1 from %s limit 10001) s', r.name) into row_count;
        return next;
    end loop;
end;
$$;

comment on function public.default_partition_rows() is
    'Rows (up to 10001) in each default partition; anything above zero means a monthly partition was missing.';
