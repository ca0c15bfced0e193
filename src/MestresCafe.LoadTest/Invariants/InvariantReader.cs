using System.Diagnostics;
using MestresCafe.Inventory;
using Npgsql;

namespace MestresCafe.LoadTest.Invariants;

/// <summary>
/// Gathers an <see cref="InvariantHistory"/> after a run: item figures from the grains and from the
/// projected inventory rows (after waiting for the projection to catch up, which is the lag it
/// reports), every acknowledged reservation asked of its grain, acknowledged orders counted in the
/// orders table, and coupon counters against their usage rows.
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

        var orders = await ReadOrdersAsync(ledger.Orders, cancellationToken);
        var coupons = await ReadCouponsAsync(ledger.CouponCodes, cancellationToken);
        return new InvariantHistory([.. grainItems, .. tableItems], reservations, orders, coupons, lag);
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
