-- 0128: grain state writes as HOT updates. Since 0045 the order sweeper's partial index
-- ix_orleansstorage_order_written covers (serviceid, modifiedon) where graintypestring = 'order'.
-- In PostgreSQL 15 a change to any indexed column rules out a heap-only (HOT) update, whatever the
-- index's predicate, and every write set modifiedon = now(): so every grain state write of every
-- grain (carts, inventory logs, loyalty accounts, coupons; about 17 a checkout) wrote a new entry
-- into each of the table's indexes. Only order rows need modifiedon (the sweeper reads it), so it now
-- moves only on those; another grain's row keeps the time of its first write, and its writes change
-- no indexed column and stay on their page (fillfactor leaves room for the new version). Measured
-- under the checkout mix: 80% of the updates HOT instead of none, and the write statement 25% faster
-- (docs/BENCHMARKS.md). The queries stay one statement each, with the same version checks.
update orleansquery
set querytext = replace(querytext, 'modifiedon = now()', 'modifiedon = case when graintypestring = ''order'' then now() else modifiedon end')
where querykey in ('WriteToStorageKey', 'ClearStorageKey');

do $$
begin
    if (select count(*) from orleansquery
        where querykey in ('WriteToStorageKey', 'ClearStorageKey') and querytext like '%when graintypestring = ''order'' then now()%') <> 2 then
        raise exception 'orleansstorage write and clear queries not in the expected form';
    end if;
end
$$;

-- Room on each page for the next versions of its rows (applies to pages written from now on).
alter table orleansstorage set (fillfactor = 80);
