using MestresCafe.Inventory;
using MestresCafe.LoadTest.Metrics;

namespace MestresCafe.LoadTest.Invariants;

/// <summary>
/// The invariants every scenario must leave intact, checked over the whole history rather than one
/// interleaving: stock is conserved and never negative, nothing is oversold, nothing acknowledged is
/// lost or duplicated, and coupon uses stay within their limits.
/// </summary>
public static class InvariantChecker
{
    public static InvariantSummary Check(InvariantHistory history)
    {
        var violations = new List<string>();
        var checks = 0;

        foreach (var item in history.Items)
        {
            checks += 4;
            var stock = item.InitialStock + item.Adjustments;
            if (item.Available < 0 || item.Reserved < 0 || item.Sold < 0)
            {
                violations.Add($"{item.Source} {item.Key}: negative figure (available {item.Available}, reserved {item.Reserved}, sold {item.Sold})");
            }

            if (item.Available + item.Reserved + item.Sold != stock)
            {
                violations.Add($"{item.Source} {item.Key}: initial {item.InitialStock} + adjustments {item.Adjustments} != available {item.Available} + reserved {item.Reserved} + sold {item.Sold}");
            }

            if (item.AcknowledgedUnits > stock)
            {
                violations.Add($"{item.Source} {item.Key}: oversold: {item.AcknowledgedUnits} units acknowledged against stock {stock}");
            }

            if (item.Reserved + item.Sold < item.AcknowledgedUnits)
            {
                violations.Add($"{item.Source} {item.Key}: {item.AcknowledgedUnits} units acknowledged but only {item.Reserved + item.Sold} reserved or sold: acknowledged work lost");
            }
        }

        foreach (var reservation in history.Reservations)
        {
            checks++;
            if (reservation.Observed == ReservationState.None)
            {
                violations.Add($"reservation {reservation.ReservationId} on {reservation.ItemKey} was acknowledged and is gone");
            }
        }

        foreach (var order in history.Orders)
        {
            checks++;
            if (order.RowsFound != 1)
            {
                violations.Add($"order {order.OrderNumber} was acknowledged and has {order.RowsFound} rows"
                    + (order.RowsFound == 0 ? order.KnownToGrain ? " (its grain has it: projection late)" : " (unknown to its grain: lost)" : ""));
            }
        }

        foreach (var coupon in history.Coupons)
        {
            checks += 3;
            if (coupon.UsageLimit is { } limit && coupon.UsedCount > limit)
            {
                violations.Add($"coupon {coupon.Code}: used {coupon.UsedCount} times, limit {limit}");
            }

            if (coupon.UsedCount != coupon.UsageRows)
            {
                violations.Add($"coupon {coupon.Code}: used_count {coupon.UsedCount} but {coupon.UsageRows} usage rows");
            }

            if (coupon.PerCustomerLimit is { } perCustomer)
            {
                foreach (var (customer, uses) in coupon.UsesByCustomer.Where(u => u.Value > perCustomer))
                {
                    violations.Add($"coupon {coupon.Code}: customer {customer} used it {uses} times, limit {perCustomer}");
                }
            }
        }

        checks += CheckLoyalty(history, violations);

        var notes = new List<string>
        {
            $"items {history.Items.Count}, acknowledged reservations {history.Reservations.Count}, acknowledged orders {history.Orders.Count}, coupons {history.Coupons.Count}",
        };
        if (history.OrderPoints is { Count: > 0 } points)
        {
            notes.Add($"loyalty: {points.Count(p => p.Paid)} paid orders earned {points.Sum(p => p.EarnedPoints)} points over {history.Accounts?.Count(a => a.Source == "table") ?? 0} accounts");
        }
        if (history.ProjectionLag is { } lag)
        {
            notes.Add($"projection caught up {lag.TotalMilliseconds:0} ms after traffic stopped");
        }

        return new InvariantSummary(violations.Count == 0, checks, violations, notes);
    }

    /// <summary>
    /// No paid order without its points and none with them twice; an unpaid order earns nothing;
    /// every balance equals the transactions behind it, and the grain agrees with its row.
    /// </summary>
    private static int CheckLoyalty(InvariantHistory history, List<string> violations)
    {
        var checks = 0;
        foreach (var order in history.OrderPoints ?? [])
        {
            checks++;
            var expectedRows = order.Paid ? 1 : 0;
            if (order.EarnRows != expectedRows)
            {
                violations.Add(order.Paid
                    ? $"order {order.OrderNumber} is paid and has {order.EarnRows} earn transactions (points lost or counted twice)"
                    : $"order {order.OrderNumber} is not paid and earned points {order.EarnRows} time(s)");
            }

            if (order.ReversedPoints > order.EarnedPoints)
            {
                violations.Add($"order {order.OrderNumber}: {order.ReversedPoints} points reversed, more than the {order.EarnedPoints} it earned");
            }
        }

        var accounts = history.Accounts ?? [];
        foreach (var account in accounts)
        {
            checks++;
            if (account.Source == "table" && account.Balance != account.TransactionSum)
            {
                violations.Add($"loyalty account of user {account.UserId}: balance {account.Balance} but its transactions add up to {account.TransactionSum}");
            }

            if (account.Balance < 0)
            {
                violations.Add($"{account.Source} loyalty account of user {account.UserId}: negative balance {account.Balance}");
            }
        }

        foreach (var user in accounts.GroupBy(a => a.UserId))
        {
            if (user.Select(a => a.Balance).Distinct().Count() > 1)
            {
                checks++;
                violations.Add($"loyalty account of user {user.Key}: {string.Join(", ", user.Select(a => $"{a.Source} balance {a.Balance}"))}");
            }
        }

        return checks;
    }
}
