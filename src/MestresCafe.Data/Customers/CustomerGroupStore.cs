using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>A membership write: the change, or why it was refused (the field and the message).</summary>
public sealed record MembershipWrite(RowChange? Change, string? Field, string? Refusal)
{
    public static MembershipWrite Refused(string field, string message) => new(null, field, message);
}

/// <summary>
/// Customer groups (plain back-office rows, through the generic writes) and their memberships. A
/// membership is current while it is active, its group is active and it has not expired; the
/// coupon grain (CouponCustomerQuery) and the overview read it with that rule. Ending a membership
/// keeps its row (inactive) so the history stays with the customer.
/// </summary>
public sealed class CustomerGroupStore(NpgsqlDataSource dataSource) : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["customer_groups"];

    private const string MemberImage = """
        select m.id, (to_jsonb(m) || jsonb_build_object('group_name', g.name, 'discount_percentage', g.discount_percentage,
                      'is_current', m.is_active and g.is_active and (m.expires_at is null or m.expires_at > now())))::text as row
        from customer_group_members m join customer_groups g on g.id = m.group_id
        """;

    public async Task<IReadOnlyList<JsonElement>> GroupsAsync(bool? active, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            """
            select (to_jsonb(g) || jsonb_build_object('member_count', (
                       select count(*) from customer_group_members m
                       where m.group_id = g.id and m.is_active and (m.expires_at is null or m.expires_at > now()))))::text
            from customer_groups g where (@active::boolean is null or g.is_active = @active) order by g.name
            """, new { active }, cancellationToken: cancellationToken))).AsList();
    }

    public Task<JsonElement?> GroupAsync(long id, CancellationToken cancellationToken) => GetAsync(dataSource, "customer_groups", id, cancellationToken);

    /// <summary>The memberships of one customer (current and past), or the members of one group.</summary>
    public async Task<IReadOnlyList<JsonElement>> MembershipsAsync(long? customerId, long? groupId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonRow>(new CommandDefinition(
            MemberImage + """
             where (@customerId::bigint is null or m.customer_id = @customerId) and (@groupId::bigint is null or m.group_id = @groupId)
            order by m.id limit 1000
            """, new { customerId, groupId }, cancellationToken: cancellationToken))).Select(r => r.Row).ToList();
    }

    /// <summary>
    /// Puts the customer in the group until <paramref name="expiresAt"/> (null: no end), or renews an
    /// existing membership. Refused when the group is inactive; null when there is no such customer or group.
    /// </summary>
    public async Task<MembershipWrite?> JoinAsync(WriteScope write, long customerId, long groupId, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var groupActive = await write.Connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "select g.is_active from customer_groups g, customers c where g.id = @groupId and c.id = @customerId for share of g",
            new { groupId, customerId }, write.Transaction, cancellationToken: cancellationToken));
        if (groupActive is null)
        {
            return null;
        }

        if (groupActive is false)
        {
            return MembershipWrite.Refused("groupId", "The group is inactive.");
        }

        var old = await MemberAsync(write, customerId, groupId, " for update of m", cancellationToken);
        var id = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            insert into customer_group_members as m (customer_id, group_id, expires_at) values (@customerId, @groupId, @expiresAt)
            on conflict (customer_id, group_id) do update
                set expires_at = excluded.expires_at, is_active = true,
                    joined_at = case when m.is_active and (m.expires_at is null or m.expires_at > now()) then m.joined_at else now() end
            returning id
            """, new { customerId, groupId, expiresAt }, write.Transaction, cancellationToken: cancellationToken));
        return new MembershipWrite(new RowChange(id, old, await MemberAsync(write, customerId, groupId, "", cancellationToken)), null, null);
    }

    /// <summary>Ends a current membership (the row stays, inactive); null when the customer is not in the group.</summary>
    public async Task<RowChange?> LeaveAsync(WriteScope write, long customerId, long groupId, CancellationToken cancellationToken)
    {
        var old = await MemberAsync(write, customerId, groupId, " and m.is_active for update of m", cancellationToken);
        if (old is not { } before)
        {
            return null;
        }

        var id = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
            "update customer_group_members set is_active = false where customer_id = @customerId and group_id = @groupId returning id",
            new { customerId, groupId }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(id, before, await MemberAsync(write, customerId, groupId, "", cancellationToken));
    }

    private static async Task<JsonElement?> MemberAsync(WriteScope write, long customerId, long groupId, string suffix, CancellationToken cancellationToken) =>
        (await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            MemberImage + " where m.customer_id = @customerId and m.group_id = @groupId" + suffix,
            new { customerId, groupId }, write.Transaction, cancellationToken: cancellationToken)))?.Row;
}
