using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Inventory;

/// <summary>The back office's reads of the inventory read side: the stock list and an item's movements.</summary>
public sealed class InventoryAdminApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_restock_shows_in_the_stock_list_and_as_the_items_one_movement()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 3);

        using var restocked = await manager.Http.PostAsJsonAsync($"/api/admin/inventory/{sku}/restock", new { quantity = 5, notes = "Lote 42" });
        Assert.Equal(HttpStatusCode.OK, restocked.StatusCode);

        JsonElement movements = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            movements = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}/movements");
            return movements.GetArrayLength() == 1;
        }), "the restock was not projected as a movement");
        var movement = movements[0];
        Assert.Equal((5, "Lote 42"), (movement.GetProperty("quantity").GetInt32(), movement.GetProperty("notes").GetString()));
        Assert.True(movement.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.True(await Eventually.TrueAsync(async () => (await ItemAsync(manager.Http, sku, lowStockOnly: false))?.GetProperty("available").GetInt32() == 8),
            "the stock list does not show the restocked quantity");
        var item = (await ItemAsync(manager.Http, sku, lowStockOnly: false))!.Value;
        Assert.Equal(("Item " + sku, "CD-SP", 0, 0), (item.GetProperty("name").GetString(), item.GetProperty("location").GetString(),
            item.GetProperty("reserved").GetInt32(), item.GetProperty("sold").GetInt32()));
        Assert.Null(await ItemAsync(manager.Http, sku, lowStockOnly: true));
    }

    [Fact]
    public async Task The_stock_list_pages_with_the_total_of_every_page()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        await host.NewItemAsync(stock: 1);
        await host.NewItemAsync(stock: 2);

        var all = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/inventory?pageSize=200");
        var first = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/inventory?pageSize=1&page=1");

        Assert.True(all.GetProperty("total").GetInt64() >= 2);
        Assert.Equal(all.GetProperty("items").GetArrayLength(), all.GetProperty("total").GetInt64());
        Assert.Equal(all.GetProperty("total").GetInt64(), first.GetProperty("total").GetInt64());
        Assert.Equal((1, 1), (first.GetProperty("items").GetArrayLength(), first.GetProperty("pageSize").GetInt32()));
    }

    private static async Task<JsonElement?> ItemAsync(HttpClient http, string sku, bool lowStockOnly)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory?pageSize=200&lowStockOnly={lowStockOnly}");
        return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("sku").GetString() == sku).Select(i => (JsonElement?)i).SingleOrDefault();
    }
}
