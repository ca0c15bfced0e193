using MestresCafe.Loyalty;
using Npgsql;

namespace MestresCafe.Data.Reporting.Generation;

/// <summary>
/// The loyalty side of a generated history, copied with each chunk of orders: every
/// generated customer is a member of the active program; a paid order earns its points when it is
/// paid, and a cancellation after payment or a refund takes back its share, by the ledger's own
/// rule (<see cref="LoyaltyEarning"/>: the program's points per real on merchandise after discount,
/// never on shipping); members left with 1,000 points or more redeemed 500 once. The accounts'
/// balances and tiers (by the points of the program's window) are summed at the end. Every order
/// earns at the entry tier's multiplier: the figures are for the reports, not a replay of tier moves.
/// </summary>
internal sealed class LoyaltyHistory(NpgsqlDataSource dataSource, string run)
{
    private readonly Dictionary<long, long> _accountByUser = [];
    private long? _programId;
    private decimal _pointsPerBrl = 1m;
    private decimal _entryMultiplier = 1m;

    /// <summary>What an order means for its buyer's points.</summary>
    /// <param name="Earning">What the order earns points on (<see cref="LoyaltyEarning.EarningAmount"/>).</param>
    /// <param name="Paid">What the customer paid, shipping included: refunds are a share of it.</param>
    public sealed record PaidOrder(long OrderId, string OrderNumber, long UserId, string Status, decimal Earning, decimal Paid, DateTime PaidAt,
        DateTime? CancelledAt, decimal Refunded, DateTime RefundedAt);

    /// <summary>Opens an account per customer of the run; without an active program nothing is written.</summary>
    public async Task<long> OpenAccountsAsync(CancellationToken cancellationToken)
    {
        await using (var program = dataSource.CreateCommand("""
            select id, coalesce((rules ->> 'points_per_brl')::numeric, 1), coalesce((rules -> 'tiers' -> 0 ->> 'multiplier')::numeric, 1)
            from loyalty_programs where is_active order by id limit 1
            """))
        await using (var row = await program.ExecuteReaderAsync(cancellationToken))
        {
            if (await row.ReadAsync(cancellationToken))
            {
                _programId = row.GetInt64(0);
                _pointsPerBrl = row.GetDecimal(1);
                _entryMultiplier = row.GetDecimal(2);
            }
        }

        if (_programId is not { } programId)
        {
            return 0;
        }

        await ExecuteForRunAsync(programId, """
            insert into customer_loyalty (customer_id, program_id, tier_level, joined_at)
            select c.id, lp.id, coalesce(lp.rules -> 'tiers' -> 0 ->> 'name', 'Bronze'), c.created_at
            from customers c join users u on u.id = c.user_id, loyalty_programs lp
            where u.email like $1 and lp.id = $2
            """, cancellationToken);
        await using var accounts = dataSource.CreateCommand("""
            select c.user_id, cl.id from customer_loyalty cl join customers c on c.id = cl.customer_id join users u on u.id = c.user_id
            where u.email like $1 and cl.program_id = $2
            """);
        accounts.Parameters.Add(new NpgsqlParameter { Value = $"gen-{run}-%" });
        accounts.Parameters.Add(new NpgsqlParameter { Value = programId });
        await using var reader = await accounts.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _accountByUser[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return _accountByUser.Count;
    }

    /// <summary>Earn and reversal rows of these orders (binary COPY), in the transaction that wrote them.</summary>
    public async Task WritePointsAsync(NpgsqlConnection connection, IEnumerable<PaidOrder> orders, CancellationToken cancellationToken)
    {
        if (_programId is null)
        {
            return;
        }

        await using var writer = await connection.BeginBinaryImportAsync("""
            copy loyalty_transactions (customer_loyalty_id, transaction_type, points_change, reason, reference_id, reference_type, created_at)
            from stdin (format binary)
            """, cancellationToken);
        foreach (var order in orders)
        {
            var points = LoyaltyEarning.Points(order.Earning, _pointsPerBrl, _entryMultiplier);
            if (points < 1 || !_accountByUser.TryGetValue(order.UserId, out var account))
            {
                continue;
            }

            await WriteRowAsync(writer, account, "earn", points, "Pedido " + order.OrderNumber, order.OrderId, order.PaidAt, cancellationToken);
            var reversed = order.Status switch
            {
                "cancelled" or "refunded" => points,
                "partially_refunded" => LoyaltyEarning.PointsTakenBack(points, LoyaltyEarning.RefundedShare(order.Refunded, order.Paid, cancelled: false)),
                _ => 0,
            };
            if (reversed > 0)
            {
                await WriteRowAsync(writer, account, "reversal", -reversed, "Estorno do pedido " + order.OrderNumber, order.OrderId,
                    order.CancelledAt ?? order.RefundedAt, cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter writer, long account, string type, int points, string reason, long orderId,
        DateTime at, CancellationToken cancellationToken)
    {
        await writer.StartRowAsync(cancellationToken);
        await writer.WriteAsync(account, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync(type, NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken);
        await writer.WriteAsync(points, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
        await writer.WriteAsync(reason, NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken);
        await writer.WriteAsync(orderId, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
        await writer.WriteAsync("order", NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken);
        await writer.WriteAsync(at, NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken);
    }

    /// <summary>One redemption for well-off members, then balances, totals and tiers from the ledger.</summary>
    public async Task CloseAccountsAsync(CancellationToken cancellationToken)
    {
        if (_programId is not { } programId)
        {
            return;
        }

        await ExecuteForRunAsync(programId, """
            insert into loyalty_transactions (customer_loyalty_id, transaction_type, points_change, reason, reference_type, created_at)
            select lt.customer_loyalty_id, 'redeem', -500, 'Resgate: Desconto de R$ 10', 'reward_redemption',
                   least(now(), max(lt.created_at) + interval '1 day')
            from loyalty_transactions lt
            join customer_loyalty cl on cl.id = lt.customer_loyalty_id
            join customers c on c.id = cl.customer_id join users u on u.id = c.user_id
            where cl.program_id = $2 and u.email like $1
            group by lt.customer_loyalty_id
            having sum(lt.points_change) >= 1000
            """, cancellationToken);
        await ExecuteForRunAsync(programId, """
            update customer_loyalty cl
            set points_earned = s.earned, points_redeemed = s.redeemed, points_balance = s.balance, last_activity = s.last_activity,
                tier_level = coalesce((select t ->> 'name'
                                       from loyalty_programs lp, jsonb_array_elements(lp.rules -> 'tiers') t
                                       where lp.id = cl.program_id and (t ->> 'min_points')::int <= s.window_points
                                       order by (t ->> 'min_points')::int desc
                                       limit 1), cl.tier_level)
            from (select lt.customer_loyalty_id,
                         coalesce(sum(lt.points_change) filter (where lt.points_change > 0), 0) as earned,
                         coalesce(-sum(lt.points_change) filter (where lt.transaction_type = 'redeem'), 0) as redeemed,
                         sum(lt.points_change) as balance, max(lt.created_at) as last_activity,
                         coalesce(sum(lt.points_change) filter (where lt.transaction_type <> 'redeem'
                             and lt.created_at >= now() - make_interval(months => coalesce((lp.rules ->> 'window_months')::int, 12))), 0) as window_points
                  from loyalty_transactions lt
                  join customer_loyalty a on a.id = lt.customer_loyalty_id
                  join loyalty_programs lp on lp.id = a.program_id
                  join customers c on c.id = a.customer_id join users u on u.id = c.user_id
                  where a.program_id = $2 and u.email like $1
                  group by lt.customer_loyalty_id) s
            where cl.id = s.customer_loyalty_id
            """, cancellationToken);
    }

    /// <summary>A statement over the run's accounts: $1 the run's e-mail pattern, $2 the program.</summary>
    private async Task<int> ExecuteForRunAsync(long programId, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = $"gen-{run}-%" });
        command.Parameters.Add(new NpgsqlParameter { Value = programId });
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
