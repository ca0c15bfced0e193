using System.Text.Json;
using Dapper;
using MestresCafe.Customers;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>
/// The group discount a user's prices get now: the best of their current memberships (active, of an
/// active group, not expired), by <see cref="GroupPricing.BestOf"/>. Asked by the checkout right
/// before it prices the lines, and by the cart view.
/// </summary>
public sealed class GroupDiscountQuery(NpgsqlDataSource dataSource)
{
    public async Task<decimal> ForUserAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var discounts = await connection.QueryAsync<decimal>(new CommandDefinition(
            """
            select g.discount_percentage
            from customers c
            join customer_group_members m on m.customer_id = c.id
            join customer_groups g on g.id = m.group_id
            where c.user_id = @userId and m.is_active and g.is_active and g.discount_percentage > 0
              and (m.expires_at is null or m.expires_at > now())
            """, new { userId }, cancellationToken: cancellationToken));
        return GroupPricing.BestOf(discounts);
    }

    /// <summary>
    /// The user's current groups with their discounts and conditions: checkout prices the lines at
    /// the best discount and checks every group's conditions (<see cref="GroupConditions"/>), from one
    /// read (batched with the prices' read by <see cref="Pricing.CheckoutReads"/>).
    /// </summary>
    public async Task<IReadOnlyList<CurrentGroup>> CurrentGroupsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { CurrentGroupsCommand(userId) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadCurrentGroupsAsync(reader, cancellationToken);
    }

    internal static NpgsqlBatchCommand CurrentGroupsCommand(long userId)
    {
        var command = new NpgsqlBatchCommand(
            """
            select g.id, g.name, g.discount_percentage, g.conditions::text
            from customers c
            join customer_group_members m on m.customer_id = c.id
            join customer_groups g on g.id = m.group_id
            where c.user_id = $1 and m.is_active and g.is_active
              and (m.expires_at is null or m.expires_at > now())
            order by g.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
        return command;
    }

    /// <summary>Reads the current result set of <see cref="CurrentGroupsCommand"/>.</summary>
    internal static async Task<IReadOnlyList<CurrentGroup>> ReadCurrentGroupsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var groups = new List<CurrentGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            using var conditions = JsonDocument.Parse(reader.GetString(3));
            groups.Add(new CurrentGroup(reader.GetInt64(0), reader.GetString(1), reader.GetDecimal(2), conditions.RootElement.Clone()));
        }

        return groups;
    }
}
