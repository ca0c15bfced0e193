using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Audit;
using MestresCafe.Inventory;
using MestresCafe.Purchasing;
using Npgsql;
using static MestresCafe.Data.Purchasing.PurchaseRefusal;

namespace MestresCafe.Data.Purchasing;

/// <summary>
/// Writes purchase orders and their receipts. Every write locks the order's row first, so the
/// changes of one order (edits, status moves, receipts from any server) are serialized by
/// PostgreSQL, and returns the order's image before and after for its audit row. The rules are
/// <see cref="PurchaseOrderRules"/>.
/// </summary>
public sealed class PurchaseOrderStore(NpgsqlDataSource dataSource) : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["purchase_orders"];

    /// <summary>The whole order as JSON (snake_case): its row, supplier name, lines with SKU and name, receipts with their lines.</summary>
    private const string Image = """
        select po.id, (to_jsonb(po) || jsonb_build_object(
            'supplier_name', s.name,
            'lines', coalesce((
                select jsonb_agg(to_jsonb(li) || jsonb_build_object('sku', coalesce(v.sku, p.sku), 'name', p.name || coalesce(' - ' || v.name, '')) order by li.id)
                from purchase_order_items li
                join products p on p.id = li.product_id
                left join product_variants v on v.id = li.variant_id
                where li.purchase_order_id = po.id), '[]'::jsonb),
            'receipts', coalesce((
                select jsonb_agg((to_jsonb(r) - 'request_hash') || jsonb_build_object('lines', (
                    select jsonb_agg(to_jsonb(ri) order by ri.id) from purchase_order_receipt_items ri where ri.receipt_id = r.id)) order by r.id)
                from purchase_order_receipts r
                where r.purchase_order_id = po.id), '[]'::jsonb)))::text as row
        from purchase_orders po
        join suppliers s on s.id = po.supplier_id
        where po.id = @id
        """;

    /// <summary>The order's image, or null.</summary>
    public async Task<JsonElement?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(Image, new { id }, cancellationToken: cancellationToken)))?.Row;
    }

    /// <summary>A draft order to <paramref name="supplierId"/> with its lines; refused when the supplier is unknown or inactive, or a line cannot be bought.</summary>
    public async Task<PurchaseOrderWrite> CreateAsync(
        WriteScope write, long supplierId, DateTimeOffset? expectedDelivery, string? notes, IReadOnlyList<PurchaseLineInput> lines,
        long? userId, CancellationToken cancellationToken)
    {
        var supplierActive = await write.Connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "select is_active from suppliers where id = @supplierId for share", new { supplierId }, write.Transaction, cancellationToken: cancellationToken));
        if (supplierActive is not true)
        {
            return PurchaseOrderWrite.Refused(Unprocessable, "supplierId", supplierActive is null ? "No such supplier." : "The supplier is inactive.");
        }

        var id = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into purchase_orders (supplier_id, expected_delivery, notes, created_by)
            values (@supplierId, @expectedDelivery, @notes, (select id from users where id = @userId))
            returning id
            """, new { supplierId, expectedDelivery, notes, userId }, write.Transaction, cancellationToken: cancellationToken));
        if (await WriteLinesAsync(write, id, supplierId, lines, cancellationToken) is { } refused)
        {
            return refused;
        }

        return new PurchaseOrderWrite(new RowChange(id, null, await ImageAsync(write, id, cancellationToken)), null);
    }

    /// <summary>Changes the notes and expected delivery (until the order is closed) and replaces the lines (drafts only).</summary>
    public async Task<PurchaseOrderWrite> UpdateAsync(
        WriteScope write, long id, DateTimeOffset? expectedDelivery, string? notes, IReadOnlyList<PurchaseLineInput>? lines, CancellationToken cancellationToken)
    {
        if (await LockOrderAsync(write, id, cancellationToken) is not { } order)
        {
            return PurchaseOrderWrite.Refused(NotFound, "id", "No such purchase order.");
        }

        var old = await ImageAsync(write, id, cancellationToken);
        if (order.Status is PurchaseOrderStatus.Received or PurchaseOrderStatus.Cancelled)
        {
            return PurchaseOrderWrite.Refused(Conflict, "status", $"A {order.Status} purchase order cannot be changed.");
        }

        if (lines is not null && !PurchaseOrderRules.CanEditLines(order.Status))
        {
            return PurchaseOrderWrite.Refused(Conflict, "lines", "Lines can only change while the purchase order is a draft.");
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            update purchase_orders
            set expected_delivery = coalesce(@expectedDelivery, expected_delivery), notes = coalesce(@notes, notes)
            where id = @id
            """, new { id, expectedDelivery, notes = notes?.Trim() is { Length: > 0 } text ? text : notes is null ? null : "" }, write.Transaction,
            cancellationToken: cancellationToken));
        if (lines is not null)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(
                "delete from purchase_order_items where purchase_order_id = @id", new { id }, write.Transaction, cancellationToken: cancellationToken));
            if (await WriteLinesAsync(write, id, order.SupplierId, lines, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        return new PurchaseOrderWrite(new RowChange(id, old, await ImageAsync(write, id, cancellationToken)), null);
    }

    /// <summary>Sends or cancels an order (<see cref="PurchaseOrderRules.CanMove"/>); anything else is a conflict.</summary>
    public async Task<PurchaseOrderWrite> MoveAsync(WriteScope write, long id, string to, CancellationToken cancellationToken)
    {
        if (await LockOrderAsync(write, id, cancellationToken) is not { } order)
        {
            return PurchaseOrderWrite.Refused(NotFound, "id", "No such purchase order.");
        }

        if (!PurchaseOrderRules.CanMove(order.Status, to))
        {
            return PurchaseOrderWrite.Refused(Conflict, "status", $"A {order.Status} purchase order cannot become {to}.");
        }

        var old = await ImageAsync(write, id, cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            // Sending dates the order: the supplier's lead time counts from here.
            "update purchase_orders set status = @to, order_date = case when @to = 'sent' then now() else order_date end where id = @id",
            new { id, to }, write.Transaction, cancellationToken: cancellationToken));
        return new PurchaseOrderWrite(new RowChange(id, old, await ImageAsync(write, id, cancellationToken)), null);
    }

    /// <summary>
    /// Records a receipt, before any stock moves: the receipt and its lines, the lines' received
    /// quantities and the order's status, with the audit row, in one transaction under the order's
    /// lock. A retry with the same key returns the receipt recorded first (applied or not: the
    /// caller resumes a pending one); the same key with another request is refused.
    /// </summary>
    public async Task<ReceiptRecording> RecordReceiptAsync(long purchaseOrderId, ReceiptInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var write = await WriteScope.BeginAsync(dataSource, cancellationToken);
        if (await LockOrderAsync(write, purchaseOrderId, cancellationToken) is not { } order)
        {
            return Refused(NotFound, "id", "No such purchase order.");
        }

        var hash = RequestHash(input);
        var earlier = await write.Connection.QuerySingleOrDefaultAsync<EarlierReceipt>(new CommandDefinition(
            "select id, request_hash from purchase_order_receipts where purchase_order_id = @purchaseOrderId and idempotency_key = @key",
            new { purchaseOrderId, key = input.IdempotencyKey }, write.Transaction, cancellationToken: cancellationToken));
        if (earlier is { } recorded)
        {
            return recorded.RequestHash == hash
                ? new ReceiptRecording(await LoadReceiptAsync(write, recorded.Id, cancellationToken), true, null)
                : Refused(Unprocessable, "Idempotency-Key", "This key was used for a different receipt.");
        }

        if (!PurchaseOrderRules.CanReceive(order.Status))
        {
            return Refused(Conflict, "status", $"Goods cannot be received on a {order.Status} purchase order.");
        }

        var lines = (await write.Connection.QueryAsync<OrderLine>(new CommandDefinition(
            """
            select li.id, coalesce(v.sku, p.sku) as sku, li.quantity_ordered, li.quantity_received, li.unit_cost,
                   exists (select 1 from inventory i where i.product_id = li.product_id and i.variant_id is not distinct from li.variant_id
                           and i.location = @location) as has_inventory
            from purchase_order_items li
            join products p on p.id = li.product_id
            left join product_variants v on v.id = li.variant_id
            where li.purchase_order_id = @purchaseOrderId
            order by li.id
            for update of li
            """, new { purchaseOrderId, location = InventoryKey.DefaultLocation }, write.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(line => line.Sku, StringComparer.Ordinal);

        var receiving = new List<(OrderLine Line, int Quantity, decimal UnitCost)>();
        for (var i = 0; i < input.Lines.Count; i++)
        {
            var wanted = input.Lines[i];
            if (!lines.TryGetValue(wanted.Sku, out var line))
            {
                return Refused(Unprocessable, $"lines[{i}].sku", "Not a line of this purchase order.");
            }

            if (!line.HasInventory)
            {
                return Refused(Unprocessable, $"lines[{i}].sku", $"The item has no inventory at {InventoryKey.DefaultLocation}.");
            }

            if (PurchaseOrderRules.CheckReceipt(line.QuantityOrdered, line.QuantityReceived, wanted.Quantity, input.AllowOverReceipt) is { } why)
            {
                return Refused(Unprocessable, $"lines[{i}].quantity", why);
            }

            line.QuantityReceived += wanted.Quantity;
            receiving.Add((line, wanted.Quantity, wanted.UnitCost ?? line.UnitCost));
        }

        var receiptId = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into purchase_order_receipts (purchase_order_id, idempotency_key, request_hash, allow_over_receipt, notes, created_by)
            values (@purchaseOrderId, @key, @hash, @allowOver, @notes, (select id from users where id = @userId))
            returning id
            """, new { purchaseOrderId, key = input.IdempotencyKey, hash, allowOver = input.AllowOverReceipt, notes = input.Notes, userId = actor.UserId },
            write.Transaction, cancellationToken: cancellationToken));
        var status = PurchaseOrderRules.AfterReceipt(lines.Values.Select(line => (line.QuantityOrdered, line.QuantityReceived)));
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into purchase_order_receipt_items (receipt_id, purchase_order_item_id, quantity, unit_cost)
            select @receiptId, r.item, r.quantity, r.unit_cost
            from unnest(@items, @quantities, @costs) as r (item, quantity, unit_cost);

            update purchase_order_items li set quantity_received = li.quantity_received + r.quantity
            from unnest(@items, @quantities) as r (item, quantity)
            where li.id = r.item;

            update purchase_orders
            set status = @status, received_date = case when @status = 'received' then now() else received_date end
            where id = @purchaseOrderId;
            """,
            new
            {
                receiptId, purchaseOrderId, status,
                items = receiving.Select(r => r.Line.Id).ToArray(),
                quantities = receiving.Select(r => r.Quantity).ToArray(),
                costs = receiving.Select(r => r.UnitCost).ToArray(),
            }, write.Transaction, cancellationToken: cancellationToken));

        var receipt = await LoadReceiptAsync(write, receiptId, cancellationToken);
        await write.AuditAsync(
            new AuditEntry("purchasing.purchase_order.receive", "purchase_orders", purchaseOrderId,
                new { order.Status }, new { status, receipt = receipt.Id, input.IdempotencyKey, input.AllowOverReceipt, input.Notes, receipt.Lines }),
            actor, cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new ReceiptRecording(receipt, false, null);
    }

    /// <summary>Marks a receipt applied once every line is in stock; a second call changes nothing.</summary>
    public async Task<DateTimeOffset> MarkAppliedAsync(long receiptId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition(
            """
            with marked as (update purchase_order_receipts set applied_at = now() where id = @receiptId and applied_at is null returning applied_at)
            select applied_at from marked union all select applied_at from purchase_order_receipts where id = @receiptId and applied_at is not null
            limit 1
            """, new { receiptId }, cancellationToken: cancellationToken));
    }

    /// <summary>Receipts recorded more than <paramref name="olderThan"/> ago whose stock was not confirmed (their server died or timed out).</summary>
    public async Task<IReadOnlyList<ReceiptRecord>> PendingReceiptsAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        await using var write = await WriteScope.BeginAsync(dataSource, cancellationToken);
        var ids = (await write.Connection.QueryAsync<long>(new CommandDefinition(
            "select id from purchase_order_receipts where applied_at is null and created_at < now() - @olderThan order by created_at limit @limit",
            new { olderThan, limit }, write.Transaction, cancellationToken: cancellationToken))).AsList();
        var receipts = new List<ReceiptRecord>(ids.Count);
        foreach (var id in ids)
        {
            receipts.Add(await LoadReceiptAsync(write, id, cancellationToken));
        }

        return receipts;
    }

    private async Task<PurchaseOrderWrite?> WriteLinesAsync(
        WriteScope write, long purchaseOrderId, long supplierId, IReadOnlyList<PurchaseLineInput> lines, CancellationToken cancellationToken)
    {
        // Each SKU as the sellable item it names (a variant, or a product without variants), with
        // the supplier's offer for it: the variant's own, else the product's.
        var items = (await write.Connection.QueryAsync<LineItem>(new CommandDefinition(
            """
            select u.ord, coalesce(v.product_id, p.id) as product_id, v.id as variant_id, sp.supplier_price, sp.minimum_order_quantity
            from unnest(@skus) with ordinality as u (sku, ord)
            left join product_variants v on v.sku = u.sku
            left join products p on v.id is null and p.sku = u.sku and not exists (select 1 from product_variants pv where pv.product_id = p.id)
            left join lateral (
                select s.supplier_price, s.minimum_order_quantity
                from supplier_products s
                where s.supplier_id = @supplierId and s.product_id = coalesce(v.product_id, p.id) and (s.variant_id = v.id or s.variant_id is null)
                order by s.variant_id nulls last
                limit 1) sp on true
            order by u.ord
            """, new { skus = lines.Select(l => l.Sku).ToArray(), supplierId }, write.Transaction, cancellationToken: cancellationToken))).AsList();

        for (var i = 0; i < lines.Count; i++)
        {
            var (line, item) = (lines[i], items[i]);
            if (item.ProductId is null)
            {
                return PurchaseOrderWrite.Refused(Unprocessable, $"lines[{i}].sku", "No sellable item has this SKU.");
            }

            if (line.UnitCost is null && item.SupplierPrice is null)
            {
                return PurchaseOrderWrite.Refused(Unprocessable, $"lines[{i}].unitCost", "The supplier has no price for this item: give the unit cost.");
            }

            if (item.MinimumOrderQuantity is { } minimum && line.Quantity < minimum)
            {
                return PurchaseOrderWrite.Refused(Unprocessable, $"lines[{i}].quantity", $"The supplier's minimum order is {minimum}.");
            }
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into purchase_order_items (purchase_order_id, product_id, variant_id, quantity_ordered, unit_cost, total_cost, expected_date)
            select @purchaseOrderId, l.product_id, l.variant_id, l.quantity, l.unit_cost, l.quantity * l.unit_cost, l.expected_date
            from unnest(@products, @variants, @quantities, @costs, @dates) as l (product_id, variant_id, quantity, unit_cost, expected_date);

            update purchase_orders
            set total_amount = (select coalesce(sum(total_cost), 0) from purchase_order_items where purchase_order_id = @purchaseOrderId)
            where id = @purchaseOrderId;
            """,
            new
            {
                purchaseOrderId,
                products = items.Select(i => i.ProductId!.Value).ToArray(),
                variants = items.Select(i => i.VariantId).ToArray(),
                quantities = lines.Select(l => l.Quantity).ToArray(),
                costs = lines.Select((l, i) => l.UnitCost ?? items[i].SupplierPrice!.Value).ToArray(),
                dates = lines.Select(l => l.ExpectedDate).ToArray(),
            }, write.Transaction, cancellationToken: cancellationToken));
        return null;
    }

    private static async Task<OrderHead?> LockOrderAsync(WriteScope write, long id, CancellationToken cancellationToken) =>
        await write.Connection.QuerySingleOrDefaultAsync<OrderHead>(new CommandDefinition(
            "select id, supplier_id, status, order_number from purchase_orders where id = @id for update", new { id }, write.Transaction, cancellationToken: cancellationToken));

    private static async Task<JsonElement> ImageAsync(WriteScope write, long id, CancellationToken cancellationToken) =>
        (await ReadRowAsync(write, Image, new { id }, cancellationToken))!.Row;

    private static async Task<ReceiptRecord> LoadReceiptAsync(WriteScope write, long receiptId, CancellationToken cancellationToken)
    {
        var head = await write.Connection.QuerySingleAsync<ReceiptHead>(new CommandDefinition(
            """
            select r.id, r.purchase_order_id, po.order_number, r.applied_at, r.created_by
            from purchase_order_receipts r join purchase_orders po on po.id = r.purchase_order_id
            where r.id = @receiptId
            """, new { receiptId }, write.Transaction, cancellationToken: cancellationToken));
        var lines = await write.Connection.QueryAsync<ReceiptLineRecord>(new CommandDefinition(
            """
            select ri.purchase_order_item_id, coalesce(v.sku, p.sku) as sku, ri.quantity, ri.unit_cost
            from purchase_order_receipt_items ri
            join purchase_order_items li on li.id = ri.purchase_order_item_id
            join products p on p.id = li.product_id
            left join product_variants v on v.id = li.variant_id
            where ri.receipt_id = @receiptId
            order by ri.id
            """, new { receiptId }, write.Transaction, cancellationToken: cancellationToken));
        return new ReceiptRecord(head.Id, head.PurchaseOrderId, head.OrderNumber, head.AppliedAt, head.CreatedBy, lines.AsList());
    }

    /// <summary>What makes two receipts "the same request": their lines (in order), the over-receipt flag and the notes.</summary>
    private static string RequestHash(ReceiptInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { input.Lines, input.AllowOverReceipt, input.Notes }))));

    private static ReceiptRecording Refused(PurchaseRefusal kind, string field, string message) => new(null, false, new PurchaseProblem(kind, field, message));

    private sealed record EarlierReceipt(long Id, string RequestHash);

    private sealed record OrderHead(long Id, long SupplierId, string Status, string OrderNumber);

    private sealed record ReceiptHead(long Id, long PurchaseOrderId, string OrderNumber, DateTimeOffset? AppliedAt, long? CreatedBy);

    private sealed record LineItem(long Ord, long? ProductId, long? VariantId, decimal? SupplierPrice, int? MinimumOrderQuantity);

    private sealed class OrderLine
    {
        public long Id { get; init; }
        public string Sku { get; init; } = "";
        public int QuantityOrdered { get; init; }
        public int QuantityReceived { get; set; }
        public decimal UnitCost { get; init; }
        public bool HasInventory { get; init; }
    }
}
