using System.Text;
using MestresCafe.Testing;
using Npgsql;
using StackExchange.Redis;

namespace MestresCafe.Api.Tests.Privacy;

/// <summary>
/// Looks for values everywhere a test's store keeps anything: every text, varchar, json and jsonb
/// column of every table (partitions through their parent), the grains' binary state, and every
/// Redis key of the test's prefix (names and values of every type).
/// </summary>
internal static class PersonalDataScan
{
    /// <summary>Where each value was found, as "table.column: value"; empty when nowhere.</summary>
    public static async Task<IReadOnlyList<string>> DatabaseAsync(TestDatabase database, IReadOnlyCollection<string> values)
    {
        var found = new List<string>();
        var columns = new List<(string Table, string Column)>();
        await using (var list = database.DataSource.CreateCommand(
            """
            select c.relname, a.attname
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
              and a.atttypid in ('text'::regtype, 'varchar'::regtype, 'json'::regtype, 'jsonb'::regtype, 'bpchar'::regtype)
            """))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.True(columns.Count > 100, "the scan reads the schema");
        // One query per column for all the values: which of them the column holds anywhere.
        var lowered = values.Select(v => v.ToLowerInvariant()).ToArray();
        foreach (var (table, column) in columns)
        {
            await using var command = database.DataSource.CreateCommand(
                $"select v from unnest($1::text[]) v where exists (select 1 from \"{table}\" where strpos(lower(\"{column}\"::text), v) > 0)");
            command.Parameters.Add(new NpgsqlParameter { Value = lowered });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add($"{table}.{column}: {reader.GetString(0)}");
            }
        }

        await using (var binary = database.DataSource.CreateCommand(
            "select v from unnest($1::text[]) v where exists (select 1 from orleansstorage where position(convert_to(v, 'UTF8') in payloadbinary) > 0)"))
        {
            binary.Parameters.Add(new NpgsqlParameter { Value = values.ToArray() });
            await using var reader = await binary.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add($"orleansstorage.payloadbinary: {reader.GetString(0)}");
            }
        }

        return found;
    }

    public static async Task<IReadOnlyList<string>> RedisAsync(string keyPrefix, IReadOnlyCollection<string> values)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
        var db = redis.GetDatabase();
        var found = new List<string>();
        var keys = 0;
        foreach (var endpoint in redis.GetEndPoints())
        {
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: keyPrefix + "*", pageSize: 500))
            {
                keys++;
                var text = new StringBuilder(key.ToString());
                foreach (var item in await ContentsAsync(db, key))
                {
                    text.Append('\n').Append(Encoding.UTF8.GetString(item));
                }

                var all = text.ToString();
                found.AddRange(values.Where(v => all.Contains(v, StringComparison.OrdinalIgnoreCase)).Select(v => $"redis {key}: {v}"));
            }
        }

        Assert.True(keys > 0, "the scan sees the test's Redis keys");
        return found;
    }

    private static async Task<IEnumerable<byte[]>> ContentsAsync(IDatabase db, RedisKey key) =>
        await db.KeyTypeAsync(key) switch
        {
            RedisType.String => [(byte[]?)await db.StringGetAsync(key) ?? []],
            RedisType.Hash => (await db.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! }),
            RedisType.List => (await db.ListRangeAsync(key)).Select(v => (byte[])v!),
            RedisType.Set => (await db.SetMembersAsync(key)).Select(v => (byte[])v!),
            RedisType.SortedSet => (await db.SortedSetRangeByRankAsync(key)).Select(v => (byte[])v!),
            _ => [],
        };
}
