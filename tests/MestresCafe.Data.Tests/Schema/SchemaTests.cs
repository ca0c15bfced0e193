using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Schema;

/// <summary>
/// The relational model is the data architecture document's: every table and column it names
/// must exist. The expected names live in expected-schema.txt, read here and checked against the
/// live catalog of a freshly migrated database.
/// </summary>
public sealed class SchemaTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(SchemaTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_table_and_column_of_the_document_exists()
    {
        var expected = ExpectedSchema.Load();
        var actual = await ReadCatalogAsync();

        var missing = expected
            .SelectMany(table => actual.TryGetValue(table.Key, out var columns)
                ? table.Value.Where(c => !columns.Contains(c)).Select(c => $"{table.Key}.{c}")
                : [$"{table.Key} (table)"])
            .ToList();

        Assert.True(expected.Count >= 76, $"expected-schema.txt lists {expected.Count} tables; the document has 76");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_orleans_provider_tables_exist()
    {
        var actual = await ReadCatalogAsync();

        Assert.Contains("orleansquery", actual.Keys);
        Assert.Contains("orleansmembershiptable", actual.Keys);
        Assert.Contains("orleansmembershipversiontable", actual.Keys);
        Assert.Contains("orleansstorage", actual.Keys);
        Assert.Contains("orleansreminderstable", actual.Keys);
    }

    [Fact]
    public async Task Logs_are_partitioned_by_month()
    {
        var partitioned = await _database.ScalarAsync<int>(
            "select count(*) from pg_partitioned_table p join pg_class c on c.oid = p.partrelid where c.relname in ('audit_logs', 'system_logs')");
        var auditPartitions = await _database.ScalarAsync<int>(
            "select count(*) from pg_inherits i join pg_class parent on parent.oid = i.inhparent where parent.relname = 'audit_logs'");

        Assert.Equal(2, partitioned);
        Assert.True(auditPartitions >= 12, $"audit_logs has {auditPartitions} partitions");
    }

    [Fact]
    public async Task Portuguese_search_ignores_accents()
    {
        var matches = await _database.ScalarAsync<bool>(
            "select to_tsvector('portuguese_unaccent', 'Café especial do Cerrado') @@ plainto_tsquery('portuguese_unaccent', 'cafe')");

        Assert.True(matches);
    }

    private async Task<Dictionary<string, HashSet<string>>> ReadCatalogAsync()
    {
        var catalog = new Dictionary<string, HashSet<string>>();
        await using var command = _database.DataSource.CreateCommand(
            """
            select c.table_name, c.column_name
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = 'public'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!catalog.TryGetValue(table, out var columns))
            {
                catalog[table] = columns = [];
            }

            columns.Add(reader.GetString(1));
        }

        return catalog;
    }
}
