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
    /// the best discount and checks every group's conditions (<see cref="GroupConditions"/>), from one read.
    /// </summary>
    public async Task<IReadOnlyList<CurrentGroup>> CurrentGroupsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<GroupRow>(new CommandDefinition(
            """
            select g.id, g.name, g.discount_percentage, g.conditions
            from customers c
            join customer_group_members m on m.customer_id = c.id
            join customer_groups g on g.id = m.group_id
            where c.user_id = @userId and m.is_active and g.is_active
              and (m.expires_at is null or m.expires_at > now())
            order by g.id
            """, new { userId }, cancellationToken: cancellationToken)))
            .Select(g => new CurrentGroup(g.Id, g.Name, g.DiscountPercentage, g.Conditions)).ToList();
    }

    private sealed record GroupRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public decimal DiscountPercentage { get; init; }
        public JsonElement Conditions { get; init; }
    }
}
