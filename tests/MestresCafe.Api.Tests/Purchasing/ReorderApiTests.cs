using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Purchasing;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Purchasing.PurchasingSteps;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>Reorder levels per item, reorder suggestions from sales and what is on order, drafts from them, and the stock adjustment list.</summary>
public sealed class ReorderApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Reorder_levels_are_set_per_item_projected_audited_and_drive_the_stock_alert()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 8);

        using var set = await manager.Http.PutAsJsonAsync($"/api/admin/inventory/{sku}/reorder-levels", new { reorderPoint = 5, reorderQuantity = 24 });
        var snapshot = await set.JsonAsync(HttpStatusCode.OK);
        Assert.Equal((5, 24), (snapshot.GetProperty("reorderPoint").GetInt32(), snapshot.GetProperty("reorderQuantity").GetInt32()));
        using var negative = await manager.Http.PutAsJsonAsync($"/api/admin/inventory/{sku}/reorder-levels", new { reorderPoint = -1, reorderQuantity = 24 });
        using var unknown = await manager.Http.PutAsJsonAsync("/api/admin/inventory/NAO-EXISTE-9/reorder-levels", new { reorderPoint = 1, reorderQuantity = 1 });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (negative.StatusCode, unknown.StatusCode));

        using var adjusted = await manager.Http.PostAsJsonAsync($"/api/admin/inventory/{sku}/adjust", new { quantityChange = -3, reason = "damaged" });
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);

        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from inventory i join products p on p.id = i.product_id where p.sku = $1 and i.reorder_point = 5 and i.reorder_quantity = 24 and i.quantity_available = 5", sku) == 1),
            "the reorder levels were not projected");
        var alerted = await host.Database.ScalarAsync<long>(
            """
            select count(distinct ur.user_id) from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
            join permissions pe on pe.id = rp.permission_id and pe.name = 'inventory:write'
            """);
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from notifications where type = 'stock_alert' and data->>'sku' = $1 and (data->>'reorderPoint')::int = 5", sku) == alerted),
            "reaching the new reorder point raised no stock alert");
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'inventory.reorder_levels' and user_id = $1 and new_values->>'sku' = $2", manager.UserId, sku));
    }

    [Fact]
    public async Task Suggestions_weigh_recent_sales_and_what_is_on_order_and_become_one_draft_per_preferred_supplier()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var selling = await host.NewItemAsync(stock: 12);
        var orphan = await host.NewItemAsync(stock: 1);
        var supplier = await CreateSupplierAsync(manager.Http, leadTimeDays: 7);
        await CreateSupplierProductAsync(manager.Http, supplier, await ProductIdAsync(selling), price: 7m);
        await SetLevelsAsync(manager.Http, selling, 5, 0);
        await SetLevelsAsync(manager.Http, orphan, 2, 10);
        await host.PlacePaidOrderAsync(customer.Http, selling, 6, "reorder-" + selling);

        JsonElement suggestion = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var all = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/inventory/reorder-suggestions");
            suggestion = all.EnumerateArray().FirstOrDefault(s => s.GetProperty("sku").GetString() == selling);
            return suggestion.ValueKind == JsonValueKind.Object && suggestion.GetProperty("sold30Days").GetInt32() == 6;
        }), "the paid sale does not show in the suggestions");

        // 6 sold in 30 days: 0.2 a day, 7 days of lead time; the rule's own arithmetic, checked against the class.
        var expected = ReorderRule.Advise(new ReorderFigures(6, 0, 5, 0, 6, 6, 7, 1));
        Assert.Equal((6, 0.2m, 30m, expected.SuggestedQuantity), (suggestion.GetProperty("available").GetInt32(), suggestion.GetProperty("dailySales").GetDecimal(),
            suggestion.GetProperty("daysOfCover").GetDecimal(), suggestion.GetProperty("suggestedQuantity").GetInt32()));
        Assert.Equal(7, expected.SuggestedQuantity);
        Assert.Equal((supplier, 7m), (suggestion.GetProperty("supplier").GetProperty("supplierId").GetInt64(), suggestion.GetProperty("supplier").GetProperty("unitCost").GetDecimal()));

        using var drafted = await manager.Http.PostAsJsonAsync($"{Base}/purchase-orders/from-reorder-suggestions", new { skus = new[] { selling, orphan } });
        var result = await drafted.JsonAsync(HttpStatusCode.OK);
        var order = Assert.Single(result.GetProperty("purchaseOrders").EnumerateArray());
        Assert.Equal(("draft", supplier), (order.GetProperty("status").GetString(), order.GetProperty("supplierId").GetInt64()));
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal((selling, 7, 7m), (line.GetProperty("sku").GetString(), line.GetProperty("quantityOrdered").GetInt32(), line.GetProperty("unitCost").GetDecimal()));
        Assert.Equal([orphan], result.GetProperty("leftOut").EnumerateArray().Select(s => s.GetString()));

        var after = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/inventory/reorder-suggestions");
        Assert.DoesNotContain(after.EnumerateArray(), s => s.GetProperty("sku").GetString() == selling);
        Assert.Contains(after.EnumerateArray(), s => s.GetProperty("sku").GetString() == orphan && s.GetProperty("supplier").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Stock_adjustments_are_listed_by_reason_user_sku_and_period()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var (change, reason) in new[] { (-2, "damaged"), (3, "inventory_count") })
        {
            using var adjusted = await manager.Http.PostAsJsonAsync($"/api/admin/inventory/{sku}/adjust", new { quantityChange = change, reason, notes = "Contagem de dezembro" });
            Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        }

        var query = $"/api/admin/inventory/adjustments?sku={sku}&from={Uri.EscapeDataString(since.ToString("O"))}";
        Assert.True(await Eventually.TrueAsync(async () => (await manager.Http.GetFromJsonAsync<JsonElement>(query)).GetProperty("total").GetInt64() == 2),
            "the adjustments were not listed");
        var damaged = await manager.Http.GetFromJsonAsync<JsonElement>(query + "&reason=damaged");
        var item = Assert.Single(damaged.GetProperty("items").EnumerateArray());
        Assert.Equal((-2, manager.Email, "Contagem de dezembro"), (item.GetProperty("quantityChange").GetInt32(), item.GetProperty("createdByEmail").GetString(), item.GetProperty("notes").GetString()));
        Assert.Equal(2, (await manager.Http.GetFromJsonAsync<JsonElement>(query + $"&userId={manager.UserId}")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await manager.Http.GetFromJsonAsync<JsonElement>(query + $"&userId={manager.UserId + 1000}")).GetProperty("total").GetInt64());
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        Assert.Equal(0, (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/adjustments?sku={sku}&from={future}")).GetProperty("total").GetInt64());
        using var badReason = await manager.Http.GetAsync("/api/admin/inventory/adjustments?reason=roubo");
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
    }

    private Task<long> ProductIdAsync(string sku) => host.Database.ScalarAsync<long>("select id from products where sku = $1", sku);

    private static async Task SetLevelsAsync(HttpClient http, string sku, int point, int quantity)
    {
        using var set = await http.PutAsJsonAsync($"/api/admin/inventory/{sku}/reorder-levels", new { reorderPoint = point, reorderQuantity = quantity });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
    }
}
