using MestresCafe.Loyalty;
using MestresCafe.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data.Reporting.Generation;

/// <summary>
/// Writes a sales history in bulk (binary COPY) for demos and report measurements. Shapes that
/// make the reports meaningful: growth over the months, busier weekdays and evenings (Brazilian
/// time), a few heavy buyers and many occasional ones, basket sizes of 1-4 lines, Pix-heavy
/// payment mix, PAC and SEDEX priced by checkout's own rule (<see cref="ShippingPrices"/>), coupon
/// discounts (coupon_usage), cancellations and refunds, loyalty accounts with the points of their
/// paid orders by the ledger's own rule (<see cref="LoyaltyEarning"/>: earned, reversed on refunds
/// and cancellations, some redeemed), and the last days' orders still on their way. The reporting
/// rollups follow through their triggers, as they do for the order projection.
/// </summary>
public sealed class SalesHistoryGenerator(NpgsqlDataSource dataSource, TextWriter log)
{
    private const int Chunk = 20_000;
    // A made-up history is priced at the default figures, not at today's settings.
    private static readonly ShippingPrices HistoryShipping = new();
    private static readonly TimeSpan _brazil = TimeSpan.FromHours(-3);

    private sealed record Sellable(long ProductId, long? VariantId, decimal Price, double Weight, bool RequiresShipping);

    /// <param name="Discount">The order's whole discount: a free-shipping coupon's is the shipping it waived.</param>
    /// <param name="MerchandiseDiscount">The part of <paramref name="Discount"/> taken off the merchandise.</param>
    private sealed record PlannedOrder(string Number, long UserId, string Status, decimal Subtotal, string ShippingMethod, decimal Shipping,
        decimal Discount, decimal MerchandiseDiscount, DateTime CreatedAt, DateTime? PaidAt, DateTime? ShippedAt, DateTime? DeliveredAt,
        DateTime? CancelledAt, long PaymentMethodId, List<(Sellable Item, int Quantity)> Lines, long? CouponId)
    {
        public decimal Total => Subtotal + Shipping - Discount;
    }

    private sealed record Coupon(long Id, string Type, decimal Value, decimal MinimumAmount);

    public async Task<GenerationResult> GenerateAsync(GenerationPlan plan, CancellationToken cancellationToken = default)
    {
        var random = new Random(plan.Seed);
        var run = $"{DateTime.UtcNow:yyMMddHHmmss}{plan.Seed % 100:D2}";
        var catalog = await LoadCatalogAsync(cancellationToken);
        if (catalog.Count == 0)
        {
            throw new InvalidOperationException("The catalog is empty: start the server once (it writes the demo store) before generating data.");
        }

        var methods = await LoadPaymentMethodsAsync(cancellationToken);
        var coupons = await LoadCouponsAsync(cancellationToken);
        var loyalty = new LoyaltyHistory(dataSource, run);
        var now = DateTime.UtcNow;
        var start = now.AddMonths(-plan.Months);

        var users = await WriteCustomersAsync(plan, run, start, random, cancellationToken);
        log.WriteLine($"customers: {users.Length}");
        var members = await loyalty.OpenAccountsAsync(cancellationToken);
        log.WriteLine($"loyalty accounts: {members}");

        long items = 0;
        var written = 0;
        while (written < plan.Orders)
        {
            var count = Math.Min(Chunk, plan.Orders - written);
            var orders = Enumerable.Range(written, count)
                .Select(i => PlanOrder($"GEN-{run}-{i + 1:D8}", users, catalog, methods, coupons, start, now, random))
                .ToList();
            items += await WriteOrdersAsync(orders, loyalty, cancellationToken);
            written += count;
            log.WriteLine($"orders: {written}/{plan.Orders}");
        }

        var carts = await WriteCartsAsync(users, catalog, now, random, cancellationToken);
        await loyalty.CloseAccountsAsync(cancellationToken);
        // Vacuum as well as analyze: index-only scans need the visibility map of freshly copied rows.
        await using (var vacuum = dataSource.CreateCommand("""
            vacuum (analyze) users, customers, orders, order_items, payments, payment_refunds, order_status_history, shopping_cart,
                coupon_usage, customer_loyalty, loyalty_transactions,
                report_order_refunds, report_daily_orders, report_daily_products, report_daily_categories, report_customer_summary
            """))
        {
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        return new GenerationResult(users.Length, plan.Orders, items, carts);
    }

    private static PlannedOrder PlanOrder(string number, long[] users, List<Sellable> catalog, (long Id, double Weight)[] methods,
        Coupon[] coupons, DateTime start, DateTime now, Random random)
    {
        var created = PickTime(start, now, random);
        // A few customers buy often: squaring a uniform draw puts most orders on the first ones.
        var user = users[(int)(Math.Pow(random.NextDouble(), 2.2) * users.Length)];
        var lines = new List<(Sellable, int)>();
        var lineCount = random.NextDouble() switch { < 0.55 => 1, < 0.85 => 2, < 0.96 => 3, _ => 4 };
        while (lines.Count < lineCount)
        {
            var item = PickWeighted(catalog, random);
            if (lines.All(l => l.Item1 != item))
            {
                lines.Add((item, random.NextDouble() < 0.8 ? 1 : random.Next(2, 4)));
            }
        }

        var subtotal = lines.Sum(l => l.Item1.Price * l.Item2);
        var shippingMethod = random.NextDouble() < 0.7 ? ShippingMethods.Pac : ShippingMethods.Sedex;
        var anythingToShip = lines.Any(l => l.Item1.RequiresShipping);
        // As checkout does: a coupon qualifies on the shipping before discount, and shipping is then
        // priced on the merchandise after the discount.
        var baseShipping = HistoryShipping.For(shippingMethod, subtotal, anythingToShip);
        // One order in six or so brings a coupon it qualifies for.
        var coupon = random.NextDouble() < 0.15 ? PickCoupon(coupons, subtotal, baseShipping, random) : null;
        var merchandiseDiscount = coupon switch
        {
            null or { Type: "free_shipping" } => 0m,
            { Type: "percentage" } => Math.Round(subtotal * coupon.Value / 100m, 2),
            _ => Math.Min(coupon.Value, subtotal),
        };
        var shipping = HistoryShipping.For(shippingMethod, subtotal - merchandiseDiscount, anythingToShip);
        var discount = coupon is { Type: "free_shipping" } ? shipping : merchandiseDiscount;
        var method = PickWeighted(methods, random).Id;

        var age = now - created;
        var roll = random.NextDouble();
        string status = roll switch
        {
            < 0.05 => "cancelled",
            < 0.07 => "refunded",
            < 0.09 => "partially_refunded",
            _ => age.TotalDays switch { < 0.2 => "paid", < 1 => "processing", < 4 => "shipped", _ => "delivered" },
        };
        DateTime? paid = status == "cancelled" && random.NextDouble() < 0.7 ? null : created.AddMinutes(random.Next(1, 90));
        DateTime? shipped = status is "shipped" or "delivered" or "refunded" or "partially_refunded" && age.TotalDays >= 1 ? created.AddHours(random.Next(20, 48)) : null;
        DateTime? delivered = shipped is { } s && status != "shipped" && age.TotalDays >= 4 ? s.AddDays(random.Next(2, 7)) : null;
        DateTime? cancelled = status == "cancelled" ? (paid ?? created).AddHours(random.Next(1, 30)) : null;
        return new PlannedOrder(number, user, status, subtotal, shippingMethod, shipping, discount, merchandiseDiscount, created, paid, shipped,
            delivered, cancelled, method, lines, coupon?.Id);
    }

    private static Coupon? PickCoupon(Coupon[] coupons, decimal subtotal, decimal shipping, Random random)
    {
        var eligible = coupons.Where(c => c.MinimumAmount <= subtotal && (c.Type != "free_shipping" || shipping > 0)).ToArray();
        return eligible.Length == 0 ? null : eligible[random.Next(eligible.Length)];
    }

    // Growth (the last month sells about twice the first), weekday and evening peaks, in BRT.
    private static DateTime PickTime(DateTime start, DateTime now, Random random)
    {
        var span = (now - start).TotalSeconds;
        while (true)
        {
            var position = Math.Sqrt(random.NextDouble() * 3 + 1) / 2 - 0.5; // density rising linearly 1 -> 2 over [0, 1)
            var candidate = start.AddSeconds(position * 2 * span);
            if (candidate >= now)
            {
                continue;
            }

            var local = candidate + _brazil;
            var hourWeight = local.Hour switch { < 7 => 0.15, < 12 => 0.8, < 18 => 1.0, < 23 => 1.3, _ => 0.4 };
            var dayWeight = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.0;
            if (random.NextDouble() * 1.3 < hourWeight * dayWeight)
            {
                return DateTime.SpecifyKind(candidate, DateTimeKind.Utc);
            }
        }
    }

    private static Sellable PickWeighted(List<Sellable> catalog, Random random)
    {
        var total = catalog.Sum(c => c.Weight);
        var target = random.NextDouble() * total;
        foreach (var item in catalog)
        {
            target -= item.Weight;
            if (target <= 0)
            {
                return item;
            }
        }

        return catalog[^1];
    }

    private static (long Id, double Weight) PickWeighted((long Id, double Weight)[] methods, Random random)
    {
        var target = random.NextDouble() * methods.Sum(m => m.Weight);
        foreach (var method in methods)
        {
            target -= method.Weight;
            if (target <= 0)
            {
                return method;
            }
        }

        return methods[^1];
    }

    private async Task<List<Sellable>> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        // Sellable = a variant, or a product without variants. Cheaper items sell more often.
        await using var command = dataSource.CreateCommand("""
            select p.id, v.id, coalesce(v.price, p.price), p.requires_shipping
            from products p left join product_variants v on v.product_id = p.id and v.is_active
            where p.is_active and coalesce(v.price, p.price) > 0
              and (v.id is not null or not exists (select 1 from product_variants x where x.product_id = p.id))
            order by p.id, v.id
            """);
        var catalog = new List<Sellable>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var price = reader.GetDecimal(2);
            catalog.Add(new Sellable(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), price, 1.0 / Math.Sqrt((double)price), reader.GetBoolean(3)));
        }

        return catalog;
    }

    private async Task<(long Id, double Weight)[]> LoadPaymentMethodsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id, type from payment_methods where is_active order by sort_order, id");
        var methods = new List<(long, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            methods.Add((reader.GetInt64(0), reader.GetString(1) switch { "pix" => 0.5, "boleto" => 0.1, _ => 0.4 }));
        }

        return methods.Count > 0 ? [.. methods] : throw new InvalidOperationException("No active payment methods.");
    }

    // History ignores the coupons' usage limits: it is what was sold, not what a coupon grain would accept today.
    private async Task<Coupon[]> LoadCouponsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id, type, value, minimum_amount from coupons where is_active order by id");
        var coupons = new List<Coupon>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            coupons.Add(new Coupon(reader.GetInt64(0), reader.GetString(1), reader.GetDecimal(2), reader.GetDecimal(3)));
        }

        return [.. coupons];
    }

    private async Task<long[]> WriteCustomersAsync(GenerationPlan plan, string run, DateTime start, Random random, CancellationToken cancellationToken)
    {
        string[] first = ["Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Henrique", "Isabela", "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael"];
        string[] last = ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida", "Ferreira", "Rodrigues", "Gomes", "Martins"];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy users (email, first_name, last_name, created_at, updated_at) from stdin (format binary)", cancellationToken))
        {
            for (var i = 0; i < plan.Customers; i++)
            {
                var joined = DateTime.SpecifyKind(start.AddDays(-random.Next(0, 120)), DateTimeKind.Utc);
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync($"gen-{run}-{i + 1}@example.com.br", NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(first[random.Next(first.Length)], NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(last[random.Next(last.Length)], NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(joined, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(joined, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var customers = new NpgsqlCommand(
            "insert into customers (user_id, created_at, updated_at) select id, created_at, created_at from users where email like $1 order by id", connection))
        {
            customers.Parameters.Add(new NpgsqlParameter { Value = $"gen-{run}-%" });
            customers.CommandTimeout = 600;
            await customers.ExecuteNonQueryAsync(cancellationToken);
        }

        var ids = new List<long>(plan.Customers);
        await using var select = new NpgsqlCommand("select id from users where email like $1 order by id", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = $"gen-{run}-%" });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids];
    }

    private async Task<long> WriteOrdersAsync(List<PlannedOrder> orders, LoyaltyHistory loyalty, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy orders (order_number, user_id, status, subtotal, shipping_amount, discount_amount, total_amount, created_at, updated_at,
                         paid_at, shipped_at, delivered_at, cancelled_at, payment_method_id, shipping_method) from stdin (format binary)
            """, cancellationToken))
        {
            foreach (var o in orders)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(o.Number, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(o.UserId, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.Status, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(o.Subtotal, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.Shipping, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.Discount, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.Total, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(o.DeliveredAt ?? o.CancelledAt ?? o.ShippedAt ?? o.PaidAt ?? o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(writer, o.PaidAt, cancellationToken);
                await WriteNullableAsync(writer, o.ShippedAt, cancellationToken);
                await WriteNullableAsync(writer, o.DeliveredAt, cancellationToken);
                await WriteNullableAsync(writer, o.CancelledAt, cancellationToken);
                await writer.WriteAsync(o.PaymentMethodId, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.ShippingMethod, NpgsqlDbType.Varchar, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Identity values come back by order number: COPY cannot supply generated-always ids.
        var ids = new Dictionary<string, long>(orders.Count, StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand("select order_number, id from orders where order_number = any($1)", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = orders.Select(o => o.Number).ToArray() });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        long items = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy order_items (order_id, product_id, variant_id, quantity, unit_price, total_price, created_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in orders)
            {
                foreach (var (item, quantity) in o.Lines)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(ids[o.Number], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(item.ProductId, NpgsqlDbType.Bigint, cancellationToken);
                    if (item.VariantId is { } variant)
                    {
                        await writer.WriteAsync(variant, NpgsqlDbType.Bigint, cancellationToken);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }

                    await writer.WriteAsync(quantity, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(item.Price, NpgsqlDbType.Numeric, cancellationToken);
                    await writer.WriteAsync(item.Price * quantity, NpgsqlDbType.Numeric, cancellationToken);
                    await writer.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    items++;
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy payments (order_id, payment_method_id, status, amount, created_at, updated_at, processed_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in orders.Where(o => o.PaidAt is not null))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(ids[o.Number], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.PaymentMethodId, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.Status switch { "refunded" => "refunded", "partially_refunded" => "partially_refunded", _ => "captured" }, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(o.Total, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(o.PaidAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(o.PaidAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        var paymentIds = new Dictionary<long, long>();
        await using (var select = new NpgsqlCommand(
            "select p.order_id, p.id from unnest($1::bigint[]) chunk(id) join payments p on p.order_id = chunk.id", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = ids.Values.ToArray() });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                paymentIds[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        // Refund rows: the whole amount for refunded orders, a third for partial refunds.
        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy payment_refunds (payment_id, amount, reason, status, created_at, processed_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in orders.Where(o => o.PaidAt is not null && o.Status is "refunded" or "partially_refunded"))
            {
                var total = o.Total;
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(paymentIds[ids[o.Number]], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.Status == "refunded" ? total : RefundedPart(total), NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync("return", NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync("succeeded", NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(RefundedAt(o), NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(RefundedAt(o), NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy order_status_history (order_id, status, previous_status, changed_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in orders)
            {
                foreach (var (status, previous, at) in History(o))
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(ids[o.Number], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(status, NpgsqlDbType.Varchar, cancellationToken);
                    if (previous is null)
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await writer.WriteAsync(previous, NpgsqlDbType.Varchar, cancellationToken);
                    }

                    await writer.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy coupon_usage (coupon_id, order_id, user_id, discount_amount, used_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var o in orders.Where(o => o.CouponId is not null))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(o.CouponId!.Value, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(ids[o.Number], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.UserId, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(o.Discount, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(o.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await loyalty.WritePointsAsync(connection, orders.Where(o => o.PaidAt is not null).Select(o => new LoyaltyHistory.PaidOrder(
            ids[o.Number], o.Number, o.UserId, o.Status, LoyaltyEarning.EarningAmount(o.Subtotal, o.MerchandiseDiscount), o.Total,
            o.PaidAt!.Value, o.CancelledAt, o.Status == "partially_refunded" ? RefundedPart(o.Total) : 0m, RefundedAt(o))), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return items;
    }

    // A partial refund gives back a third; refunds are two days after delivery (or payment).
    private static decimal RefundedPart(decimal total) => Math.Round(total / 3, 2, MidpointRounding.AwayFromZero);

    private static DateTime RefundedAt(PlannedOrder o) => (o.DeliveredAt ?? o.PaidAt!.Value).AddDays(2);

    private static IEnumerable<(string Status, string? Previous, DateTime At)> History(PlannedOrder o)
    {
        var steps = new List<(string, DateTime)> { ("awaiting_payment", o.CreatedAt) };
        if (o.PaidAt is { } paid)
        {
            steps.Add(("paid", paid));
        }

        if (o.ShippedAt is { } shipped)
        {
            steps.Add(("processing", shipped.AddHours(-6)));
            steps.Add(("shipped", shipped));
        }
        else if (o.Status == "processing")
        {
            steps.Add(("processing", o.PaidAt!.Value.AddHours(1)));
        }

        if (o.DeliveredAt is { } delivered)
        {
            steps.Add(("delivered", delivered));
        }

        if (o.Status is "cancelled" or "refunded" or "partially_refunded")
        {
            steps.Add((o.Status, o.CancelledAt ?? (o.DeliveredAt ?? o.PaidAt ?? o.CreatedAt).AddDays(2)));
        }

        string? previous = null;
        foreach (var (status, at) in steps)
        {
            yield return (status, previous, at);
            previous = status;
        }
    }

    // Open carts: about one customer in twenty has one, most idle for days (abandoned).
    private async Task<int> WriteCartsAsync(long[] users, List<Sellable> catalog, DateTime now, Random random, CancellationToken cancellationToken)
    {
        var lines = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync(
            "copy shopping_cart (user_id, product_id, variant_id, quantity, created_at, updated_at) from stdin (format binary)", cancellationToken);
        foreach (var user in users.Where(_ => random.NextDouble() < 0.05))
        {
            var created = DateTime.SpecifyKind(now.AddHours(-random.Next(1, 24 * 60)), DateTimeKind.Utc);
            foreach (var item in catalog.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(user, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(item.ProductId, NpgsqlDbType.Bigint, cancellationToken);
                if (item.VariantId is { } variant)
                {
                    await writer.WriteAsync(variant, NpgsqlDbType.Bigint, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }

                await writer.WriteAsync(random.Next(1, 3), NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(created, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(created.AddMinutes(random.Next(0, 60)), NpgsqlDbType.TimestampTz, cancellationToken);
                lines++;
            }
        }

        await writer.CompleteAsync(cancellationToken);
        return lines;
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, DateTime? value, CancellationToken cancellationToken)
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken);
        }
    }
}
