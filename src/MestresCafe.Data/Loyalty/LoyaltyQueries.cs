using System.Text.Json;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Loyalty;

public sealed record RewardView(long Id, string Name, string? Description, string Type, int PointsRequired, decimal? DiscountValue, string? DiscountType, bool IsActive);

public sealed record ProgramView(long Id, string Name, string Type, JsonElement Rules, bool IsActive);

/// <summary>Reads of the loyalty definitions (programs, rewards, achievements) for customers and the back office.</summary>
public sealed class LoyaltyQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<RewardView>> RewardsAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<RewardView>(new CommandDefinition(
            """
            select id, name, description, type, points_required, discount_value, discount_type, is_active
            from rewards where is_active or not @activeOnly order by points_required, id
            """, new { activeOnly }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<ProgramView>> ProgramsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ProgramView>(new CommandDefinition(
            "select id, name, type, rules::text as rules, is_active from loyalty_programs order by id", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Every achievement as its row image (the back office reads its view from it, like every admin row).</summary>
    public async Task<IReadOnlyList<JsonElement>> AchievementRowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            "select to_jsonb(a)::text from achievements a order by a.id", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<bool> UserExistsAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from users where id = @userId)", new { userId }, cancellationToken: cancellationToken));
    }
}
