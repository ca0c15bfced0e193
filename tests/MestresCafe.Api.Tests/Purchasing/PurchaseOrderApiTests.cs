using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Purchasing;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Purchasing;
using MestresCafe.Inventory;
using MestresCafe.Purchasing;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MestresCafe.Api.Tests.Purchasing.PurchasingSteps;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>Purchase orders from draft to received: lines, totals, status moves, receipts that restock once at a weighted average cost.</summary>
public sealed class PurchaseOrderApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_draft_takes_the_suppliers_prices_and_minimums_and_totals_its_lines()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var (supplier, sku, productId) = await SuppliedItemAsync(manager.Http, price: 12.5m, minimum: 6);

        using var belowMinimum = await manager.Http.PostAsJsonAsync($"{Base}/purchase-orders", new { supplierId = supplier, lines = new[] { new { sku, quantity = 5 } } });
        using var unknownSku = await manager.Http.PostAsJsonAsync($"{Base}/purchase-orders", new { supplierId = supplier, lines = new[] { new { sku = "NAO-EXISTE-1", quantity = 5 } } });
        using var twice = await manager.Http.PostAsJsonAsync($"{Base}/purchase-orders", new { supplierId = supplier, lines = new[] { new { sku, quantity = 6 }, new { sku, quantity = 7 } } });
        Assert.Equal("The supplier's minimum order is 6.", (await belowMinimum.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("lines[0].quantity")[0].GetString());
        Assert.True((await unknownSku.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("lines[0].sku", out _));
        Assert.True((await twice.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("lines[1].sku", out _));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from purchase_orders where supplier_id = $1", supplier));

        var other = await host.NewItemAsync(stock: 0);
        var order = await CreateOrderAsync(manager.Http, supplier, new { sku, quantity = 10 }, new { sku = other, quantity = 3, unitCost = 4.2m, expectedDate = "2026-12-20" });

        Assert.Matches("^PC-[0-9]{8}$", order.GetProperty("orderNumber").GetString());
        Assert.Equal(("draft", 137.6m), (order.GetProperty("status").GetString(), order.GetProperty("totalAmount").GetDecimal()));
        var lines = order.GetProperty("lines");
        Assert.Equal((sku, productId, 12.5m, 125m), (lines[0].GetProperty("sku").GetString(), lines[0].GetProperty("productId").GetInt64(),
            lines[0].GetProperty("unitCost").GetDecimal(), lines[0].GetProperty("totalCost").GetDecimal()));
        Assert.Equal("2026-12-20", lines[1].GetProperty("expectedDate").GetString());
    }

    [Fact]
    public async Task The_orders_life_is_draft_sent_received_and_moves_it_does_not_allow_are_conflicts()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var (supplier, sku, _) = await SuppliedItemAsync(manager.Http);
        var id = (await CreateOrderAsync(manager.Http, supplier, new { sku, quantity = 4 })).GetProperty("id").GetInt64();

        using var receiveDraft = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 1 }]);
        Assert.Equal(HttpStatusCode.Conflict, receiveDraft.StatusCode);
        using var relined = await manager.Http.PatchAsJsonAsync($"{Base}/purchase-orders/{id}", new { lines = new[] { new { sku, quantity = 8 } } });
        Assert.Equal(80m, (await relined.JsonAsync(HttpStatusCode.OK)).GetProperty("totalAmount").GetDecimal());

        using var sent = await SendAsync(manager.Http, id);
        Assert.Equal("sent", (await sent.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        using var sentAgain = await SendAsync(manager.Http, id);
        using var relinedSent = await manager.Http.PatchAsJsonAsync($"{Base}/purchase-orders/{id}", new { lines = new[] { new { sku, quantity = 9 } } });
        using var noted = await manager.Http.PatchAsJsonAsync($"{Base}/purchase-orders/{id}", new { notes = "Chega na sexta" });
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (sentAgain.StatusCode, relinedSent.StatusCode));
        Assert.Equal("application/problem+json", sentAgain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Chega na sexta", (await noted.JsonAsync(HttpStatusCode.OK)).GetProperty("notes").GetString());

        using var received = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 8 }]);
        var order = (await received.JsonAsync(HttpStatusCode.Created)).GetProperty("purchaseOrder");
        Assert.Equal("received", order.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, order.GetProperty("receivedDate").ValueKind);
        using var cancelReceived = await manager.Http.PostAsync($"{Base}/purchase-orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancelReceived.StatusCode);

        Assert.Equal("purchasing.purchase_order.create,purchasing.purchase_order.update,purchasing.purchase_order.send,purchasing.purchase_order.update,purchasing.purchase_order.receive",
            await host.Database.ScalarAsync<string>("select string_agg(action, ',' order by id) from audit_logs where table_name = 'purchase_orders' and record_id = $1", id));
    }

    [Fact]
    public async Task Receipts_restock_at_a_weighted_average_cost_record_movements_of_the_order_and_refuse_over_receipt_unless_allowed()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        // 10 units costing 5.00 each in stock.
        var (supplier, sku, _) = await SuppliedItemAsync(manager.Http, stock: 10, itemPrice: 10m, price: 8m);
        var id = await SentOrderAsync(manager.Http, supplier, new { sku, quantity = 20 });

        using var first = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 10 }]);
        var afterFirst = (await first.JsonAsync(HttpStatusCode.Created)).GetProperty("purchaseOrder");
        Assert.Equal(("partially_received", 10), (afterFirst.GetProperty("status").GetString(), afterFirst.GetProperty("lines")[0].GetProperty("quantityReceived").GetInt32()));
        var item = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}");
        // (10 x 5.00 + 10 x 8.00) / 20 = 6.50
        Assert.Equal((20, 6.5m), (item.GetProperty("available").GetInt32(), item.GetProperty("costPrice").GetDecimal()));

        using var over = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 11 }]);
        Assert.Equal("Only 10 of 20 units are still expected; set allowOverReceipt to receive more.",
            (await over.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("lines[0].quantity")[0].GetString());
        using var allowed = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 11 }], allowOverReceipt: true);
        Assert.Equal("received", (await allowed.JsonAsync(HttpStatusCode.Created)).GetProperty("purchaseOrder").GetProperty("status").GetString());

        Assert.Equal(31, (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}")).GetProperty("available").GetInt32());
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from inventory_movements where type = 'receipt' and reference_type = 'purchase_order' and reference_id = $1 and unit_cost = 8", id) == 2),
            "the receipts were not projected as movements of the purchase order");
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<decimal>(
            // (20 x 6.50 + 11 x 8.00) / 31 = 7.03
            "select i.cost_price from inventory i join products p on p.id = i.product_id where p.sku = $1", sku) == 7.03m),
            "the inventory row does not show the weighted average cost");
    }

    [Fact]
    public async Task A_retried_receipt_answers_the_first_one_and_adds_its_units_once_and_a_reused_key_with_another_body_is_refused()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var (supplier, sku, _) = await SuppliedItemAsync(manager.Http);
        var id = await SentOrderAsync(manager.Http, supplier, new { sku, quantity = 10 });
        var key = NewKey();

        using var first = await ReceiveAsync(manager.Http, id, key, [new { sku, quantity = 4 }]);
        using var retry = await ReceiveAsync(manager.Http, id, key, [new { sku, quantity = 4 }]);
        using var otherBody = await ReceiveAsync(manager.Http, id, key, [new { sku, quantity = 5 }]);
        using var noKey = await manager.Http.PostAsJsonAsync($"{Base}/purchase-orders/{id}/receipts", new { lines = new[] { new { sku, quantity = 1 } } });

        var firstReceipt = (await first.JsonAsync(HttpStatusCode.Created)).GetProperty("receiptId").GetInt64();
        var replay = await retry.JsonAsync(HttpStatusCode.OK);
        Assert.Equal((firstReceipt, true), (replay.GetProperty("receiptId").GetInt64(), replay.GetProperty("replayed").GetBoolean()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(4, await StoreSteps.AvailableAsync(manager.Http, sku));
        Assert.Equal(4, await host.Database.ScalarAsync<int>("select quantity_received from purchase_order_items where purchase_order_id = $1", id));
    }

    [Fact]
    public async Task A_receipt_whose_server_stopped_before_or_after_the_restock_is_finished_by_its_retry_or_the_sweeper_once()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var (supplier, sku, _) = await SuppliedItemAsync(manager.Http);
        var id = await SentOrderAsync(manager.Http, supplier, new { sku, quantity = 30 });
        var store = host.Services.GetRequiredService<PurchaseOrderStore>();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var actor = new AuditActor(manager.UserId, null, null);

        // Stopped after recording, before any restock: the retry finishes it.
        var key = NewKey();
        var pending = (await store.RecordReceiptAsync(id, Input(key, sku, 5), actor, default)).Receipt!;
        Assert.Equal(0, await StoreSteps.AvailableAsync(manager.Http, sku));
        using var retried = await ReceiveAsync(manager.Http, id, key, [new { sku, quantity = 5 }]);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(5, await StoreSteps.AvailableAsync(manager.Http, sku));

        // Stopped after the restock, before marking it applied: the retry adds nothing more.
        var secondKey = NewKey();
        var restocked = (await store.RecordReceiptAsync(id, Input(secondKey, sku, 7), actor, default)).Receipt!;
        var line = Assert.Single(restocked.Lines);
        await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku)).ReceiveAsync(new StockReceipt(
            PurchaseOrderRules.ReceiptOperationId(restocked.Id, line.PurchaseOrderItemId), 7, line.UnitCost, "purchase_order", id, null, null));
        using var retriedAfterRestock = await ReceiveAsync(manager.Http, id, secondKey, [new { sku, quantity = 7 }]);
        Assert.Equal(HttpStatusCode.OK, retriedAfterRestock.StatusCode);
        Assert.Equal(12, await StoreSteps.AvailableAsync(manager.Http, sku));

        // Never retried: the sweeper finishes it.
        var forgotten = (await store.RecordReceiptAsync(id, Input(NewKey(), sku, 3), actor, default)).Receipt!;
        Assert.True(await host.Services.GetRequiredService<PurchaseReceiving>().ResumePendingAsync(TimeSpan.Zero, default) >= 1);
        Assert.Equal(15, await StoreSteps.AvailableAsync(manager.Http, sku));
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "select count(*) from purchase_order_receipts where id = any($1) and applied_at is null", new[] { pending.Id, restocked.Id, forgotten.Id }));
        Assert.Equal("partially_received", await host.Database.ScalarAsync<string>("select status from purchase_orders where id = $1", id));
    }

    [Fact]
    public async Task A_new_variant_is_ordered_received_sold_and_shipped_without_sql()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var sku = NewItemStockTests.NewSku("PCV");
        var product = await NewItemStockTests.CreateAsync(manager.Http, "/api/admin/catalog/products", new { name = "Moedor " + sku, sku = "P" + sku, price = 400m });
        var variant = await NewItemStockTests.CreateAsync(manager.Http, $"/api/admin/catalog/products/{product}/variants", new { name = "Preto", sku, price = 420m });
        var supplier = await CreateSupplierAsync(manager.Http);
        await CreateSupplierProductAsync(manager.Http, supplier, product, variant, price: 210m);

        var id = await SentOrderAsync(manager.Http, supplier, new { sku, quantity = 3 });
        using var received = await ReceiveAsync(manager.Http, id, NewKey(), [new { sku, quantity = 3 }]);
        Assert.Equal(HttpStatusCode.Created, received.StatusCode);
        var number = await host.PlacePaidOrderAsync(customer.Http, sku, 1, "pc-" + sku);
        using var processing = await manager.Http.PostAsync($"/api/admin/orders/{number}/processing", null);
        using var shipped = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "BR123456789BR" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (processing.StatusCode, shipped.StatusCode));
        var item = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}");
        Assert.Equal((2, 1, 210m), (item.GetProperty("available").GetInt32(), item.GetProperty("sold").GetInt32(), item.GetProperty("costPrice").GetDecimal()));
    }

    private static ReceiptInput Input(string key, string sku, int quantity) => new(key, [new ReceiptLineInput(sku, quantity, null)], false, "NF-e 1234");

    /// <summary>An item of its own (stock at half its price) sold by a new supplier as its preferred one.</summary>
    private async Task<(long Supplier, string Sku, long ProductId)> SuppliedItemAsync(
        HttpClient http, int stock = 0, decimal itemPrice = 30m, decimal price = 10m, int minimum = 1)
    {
        var sku = await host.NewItemAsync(stock, itemPrice);
        var productId = await host.Database.ScalarAsync<long>("select id from products where sku = $1", sku);
        var supplier = await CreateSupplierAsync(http);
        await CreateSupplierProductAsync(http, supplier, productId, price: price, minimum: minimum);
        return (supplier, sku, productId);
    }

    private static async Task<long> SentOrderAsync(HttpClient http, long supplier, params object[] lines)
    {
        var id = (await CreateOrderAsync(http, supplier, lines)).GetProperty("id").GetInt64();
        using var sent = await SendAsync(http, id);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        return id;
    }
}
