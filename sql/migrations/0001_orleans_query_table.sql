-- 0001: the OrleansQuery catalogue read by the Orleans ADO.NET providers (clustering, grain storage,
-- reminders; Microsoft.Orleans.*.AdoNet 10.4.2, invariant "Npgsql").
--
-- Each provider starts by running its own fixed statement, unquoted:
--     SELECT QueryKey, QueryText FROM OrleansQuery [WHERE QueryKey = '...' OR ...]
-- PostgreSQL folds unquoted identifiers to lower case, so the table and its columns must be created
-- lower case (orleansquery.querykey/querytext). The result columns then come back as "querykey" and
-- "querytext"; Npgsql's GetOrdinal falls back to a case-insensitive match, which is what lets the
-- providers find "QueryKey"/"QueryText". The query texts stored here (0002-0004) alias every column
-- a provider reads with its exact quoted name ("Version", "PayloadBinary", ...) so they do not rely
-- on that fallback.
--
-- Query texts use named placeholders (@DeploymentId, ...) that Npgsql binds to the parameters the
-- providers add (parameter names without the @). They are written in dollar quotes so that they can
-- contain quotes and semicolons. See docs/orleans-schema.md for the contract and the concurrency
-- argument of every write.

create table orleansquery (
    querykey  varchar(64) not null,
    querytext text        not null,
    constraint orleansquery_pkey primary key (querykey)
);

comment on table orleansquery is
    'Orleans ADO.NET provider queries, keyed by the QueryKey names the providers load (docs/orleans-schema.md).';
