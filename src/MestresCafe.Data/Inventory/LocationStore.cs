using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Inventory;

/// <summary>Stock locations: back-office writes (inside the caller's transaction with its audit row) and the list.</summary>
public sealed class LocationStore(NpgsqlDataSource dataSource) : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["locations"];

    /// <summary>Locations as row images, by code, optionally only the active ones.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAsync(bool? active, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            "select to_jsonb(l)::text from locations l where (@active::boolean is null or l.is_active = @active) order by l.code",
            new { active }, cancellationToken: cancellationToken))).AsList();
    }
}
