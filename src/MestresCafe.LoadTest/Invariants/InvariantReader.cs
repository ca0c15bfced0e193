using System.Diagnostics;
using MestresCafe.Inventory;
using MestresCafe.Loyalty;
using MestresCafe.Orders;
using Npgsql;

namespace MestresCafe.LoadTest.Invariants;

/// <summary>
/// Gathers an <see cref="InvariantHistory"/> after a run: item figures from the grains and from the
/// projected inventory rows (after waiting for the projection to catch up, which is the lag it
/// reports), every acknowledged reservation asked of its grain, acknowledged orders counted in the
/// orders table, coupon counters against their usage rows, and the loyalty points of the orders.
/// </summary>
public sealed class InvariantReader(NpgsqlDataSource db, IGrainFactory grains)
{
    public async Task<InvariantHistory> ReadAsync(RunLedger ledger, TimeSpan projectionTimeout, CancellationToken cancellationToken = default)
    {
        var grainItems = new List<ItemFigures>();
        var versions = new Dictionary<string, long>();
        foreach (var (sku, initial) in ledger.InitialStock)
        {
            var snapshot = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku)).GetAsync();
            if (snapshot is null)
            {
                continue;
            }

            versions[sku] = snapshot.Version;
            grainItems.Add(new ItemFigures("grain", sku, initial, 0, snapshot.Available, snapshot.Reserved, snapshot.Sold, ledger.AcknowledgedUnits(sku)));
        }

        var (tableItems, lag) = await ReadTableWhenProjectedAsync(ledger, versions, projectionTimeout, cancellationToken);

        var reservations = new List<AcknowledgedReservation>();
        foreach (var (itemKey, id) in ledger.Reservations)
        {
            var state = await grains.GetGrain<IInventoryItemGrain>(itemKey).GetReservationAsync(id);
            reservations.Add(new AcknowledgedReservation(itemKey, id, state));
        }

        var orders = await ReadOrdersWhenProjectedAsync(ledger.Orders, projectionTimeout, cancellationToken);
        var coupons = await ReadCouponsAsync(ledger.CouponCodes, cancellationToken);
        var (orderPoints, accounts) = await ReadLoyaltyWhenSettledAsync(ledger.Orders, ledger.PaymentsConfirm, projectionTimeout, cancellationToken);
        return new InvariantHistory([.. grainItems, .. tableItems], reservations, orders, coupons, lag, orderPoints, accounts);
    }

    /// <summary>
    /// Order earnings and account balances, read once payments and points have settled: every order
    /// is paid (when the run's payments confirm by themselves), every paid order has its earn row and
    /// every account row is at its grain's version; or the timeout passed, and the checker judges
    /// what is there. Nothing when no loyalty program is active.
    /// </summary>
    private async Task<(List<OrderPoints>? Orders, List<AccountPoints>? Accounts)> ReadLoyaltyWhenSettledAsync(
        IReadOnlyCollection<string> numbers, bool paymentsConfirm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using (var active = db.CreateCommand("select exists (select 1 from loyalty_programs where is_active)"))
        {
            if (numbers.Count == 0 || !(bool)(await active.ExecuteScalarAsync(cancellationToken))!)
            {
                return (null, null);
            }
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (orders, users) = await ReadOrderPointsAsync(numbers, cancellationToken);
            var accounts = await ReadAccountRowsAsync(users, cancellationToken);
            var settled = orders.All(o => o.Paid == o.EarnRows > 0 && (o.Paid || !paymentsConfirm));
            foreach (var (userId, version) in accounts.Versions)
            {
                var snapshot = await grains.GetGrain<ILoyaltyAccountGrain>(userId).GetAsync();
                accounts.Figures.Add(new AccountPoints("grain", userId, snapshot.Balance, 0));
                settled &= snapshot.Version == version;
            }

            if (settled || clock.Elapsed > timeout)
            {
                return (orders, accounts.Figures);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<(List<OrderPoints> Orders, long[] Users)> ReadOrderPointsAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            select o.order_number, o.user_id, o.paid_at is not null,
                   count(t.id) filter (where t.transaction_type = 'earn')::int,
                   coalesce(sum(t.points_change) filter (where t.transaction_type = 'earn'), 0)::int,
                   coalesce(-sum(t.points_change) filter (where t.transaction_type in ('reversal', 'clawback')), 0)::int
            from orders o
            left join loyalty_transactions t on t.reference_type = 'order' and t.reference_id = o.id
            where o.order_number = any($1)
            group by o.id
            """);
        command.Parameters.Add(new() { Value = numbers.ToArray() });
        var orders = new List<OrderPoints>();
        var users = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            orders.Add(new OrderPoints(reader.GetString(0), reader.GetBoolean(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
            users.Add(reader.GetInt64(1));
        }

        return (orders, users.ToArray());
    }

    private async Task<(List<AccountPoints> Figures, Dictionary<long, long> Versions)> ReadAccountRowsAsync(long[] users, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            select c.user_id, l.points_balance, l.state_version,
                   coalesce((select sum(t.points_change) from loyalty_transactions t where t.customer_loyalty_id = l.id), 0)::int
            from customer_loyalty l join customers c on c.id = l.customer_id
            where c.user_id = any($1)
            """);
        command.Parameters.Add(new() { Value = users });
        var figures = new List<AccountPoints>();
        var versions = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            figures.Add(new AccountPoints("table", reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(3)));
            versions[reader.GetInt64(0)] = reader.GetInt64(2);
        }

        return (figures, versions);
    }

    private async Task<(List<ItemFigures> Items, TimeSpan? Lag)> ReadTableWhenProjectedAsync(
        RunLedger ledger, Dictionary<string, long> versions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var items = new List<ItemFigures>();
            var behind = 0;
            await using var command = db.CreateCommand(
                """
                select p.sku, i.quantity_available, i.quantity_reserved, i.quantity_sold, i.state_version
                from inventory i join products p on p.id = i.product_id
                where p.sku = any($1) and i.variant_id is null and i.location = 'CD-SP'
                """);
            command.Parameters.Add(new() { Value = ledger.InitialStock.Keys.ToArray() });
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var sku = reader.GetString(0);
                    if (versions.TryGetValue(sku, out var version) && reader.GetInt64(4) < version)
                    {
                        behind++;
                    }

                    items.Add(new ItemFigures("table", sku, ledger.InitialStock[sku], 0, reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), ledger.AcknowledgedUnits(sku)));
                }
            }

            if (behind == 0)
            {
                return (items, clock.Elapsed);
            }

            if (clock.Elapsed > timeout)
            {
                // Checked all the same: conservation must hold at every projected version.
                return (items, null);
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// Acknowledged orders counted in the orders table. An order whose row is missing may belong to
    /// a grain whose server died after its state write and before its projection: its outbox is
    /// applied by its next activation, so the reader wakes it (as any later call would) and waits.
    /// An order the grain does not know either stays missing, and the checker reports it lost.
    /// </summary>
    private async Task<List<AcknowledgedOrder>> ReadOrdersWhenProjectedAsync(IReadOnlyCollection<string> numbers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var woken = new HashSet<string>();
        var lost = new HashSet<string>();
        while (true)
        {
            var orders = await ReadOrdersAsync(numbers, cancellationToken);
            var missing = orders.Where(o => o.RowsFound == 0).Select(o => o.OrderNumber).ToList();
            foreach (var number in missing.Where(woken.Add))
            {
                if (await grains.GetGrain<IOrderGrain>(number).GetAsync() is null)
                {
                    lost.Add(number); // unknown to its grain as well: lost, not late
                }
            }

            if (missing.Count == 0 || lost.Count > 0 || clock.Elapsed > timeout)
            {
                return [.. orders.Select(o => o with { KnownToGrain = !lost.Contains(o.OrderNumber) })];
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<List<AcknowledgedOrder>> ReadOrdersAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken)
    {
        if (numbers.Count == 0)
        {
            return [];
        }

        await using var command = db.CreateCommand(
            "select n, (select count(*) from orders o where o.order_number = n)::int from unnest($1::text[]) as n");
        command.Parameters.Add(new() { Value = numbers.ToArray() });
        var result = new List<AcknowledgedOrder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new AcknowledgedOrder(reader.GetString(0), reader.GetInt32(1)));
        }

        return result;
    }

    private async Task<List<CouponFigures>> ReadCouponsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        var result = new List<CouponFigures>();
        foreach (var code in codes)
        {
            await using var command = db.CreateCommand(
                """
                select c.usage_limit, c.per_customer_limit, c.used_count,
                       (select count(*) from coupon_usage u where u.coupon_id = c.id)::int,
                       coalesce((select array_agg(u.user_id) from coupon_usage u where u.coupon_id = c.id), '{}')
                from coupons c where c.code = $1
                """);
            command.Parameters.Add(new() { Value = code });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var users = reader.GetFieldValue<long[]>(4);
                result.Add(new CouponFigures(
                    code,
                    reader.IsDBNull(0) ? null : reader.GetInt32(0),
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    users.GroupBy(u => u).ToDictionary(g => g.Key, g => g.Count())));
            }
        }

        return result;
    }
}
