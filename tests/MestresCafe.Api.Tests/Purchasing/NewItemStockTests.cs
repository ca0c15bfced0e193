using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>Items created in the back office get their inventory item at once: they can be restocked and sold without any SQL.</summary>
public sealed class NewItemStockTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_product_created_in_the_back_office_can_be_restocked_and_bought()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var sku = NewSku("NOVO");
        var product = await CreateAsync(manager.Http, "/api/admin/catalog/products", new { name = "Café novo " + sku, sku, price = 42m, costPrice = 20m });

        var item = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}");
        Assert.Equal((0, 0, 0), (item.GetProperty("available").GetInt32(), item.GetProperty("reserved").GetInt32(), item.GetProperty("sold").GetInt32()));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from inventory where product_id = $1 and variant_id is null and location = 'CD-SP'", product));

        await RestockAsync(manager.Http, sku, 5);
        await host.PlacePaidOrderAsync(customer.Http, sku, 2, "novo-" + sku);

        Assert.Equal(3, await StoreSteps.AvailableAsync(customer.Http, sku));
    }

    [Fact]
    public async Task A_new_variant_can_be_restocked_and_bought_and_deactivating_it_stops_sales_but_keeps_its_history()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var productSku = NewSku("PROD");
        var sku = NewSku("VAR");
        var product = await CreateAsync(manager.Http, "/api/admin/catalog/products", new { name = "Café com variantes " + productSku, sku = productSku, price = 50m });
        var variant = await CreateAsync(manager.Http, $"/api/admin/catalog/products/{product}/variants", new { name = "1 kg", sku, price = 150m, costPrice = 70m });

        // The product itself is no longer sellable: its untouched inventory row went with the first variant.
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from inventory where product_id = $1 and variant_id is null", product));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from inventory where variant_id = $1 and quantity_available = 0", variant));

        await RestockAsync(manager.Http, sku, 4);
        await host.PlacePaidOrderAsync(customer.Http, sku, 1, "var-" + sku);
        Assert.Equal(3, await StoreSteps.AvailableAsync(customer.Http, sku));

        using var deactivated = await manager.Http.DeleteAsync($"/api/admin/catalog/products/{product}/variants/{variant}");
        Assert.Equal(HttpStatusCode.NoContent, deactivated.StatusCode);

        using var add = await customer.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        var stock = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}");
        Assert.Equal((3, 1), (stock.GetProperty("available").GetInt32(), stock.GetProperty("sold").GetInt32()));
        Assert.True(await Eventually.TrueAsync(async () =>
            (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/inventory/{sku}/movements")).EnumerateArray()
                .Select(m => m.GetProperty("type").GetString()).Order().SequenceEqual(["receipt", "reservation", "sale"])),
            "the variant's movements are not all kept");
    }

    [Fact]
    public async Task A_sku_asked_for_before_its_product_existed_can_be_restocked_once_created()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = NewSku("CEDO");
        using var early = await host.CreateClient().GetAsync($"/api/inventory/{sku}/availability");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);

        await CreateAsync(manager.Http, "/api/admin/catalog/products", new { name = "Chegou depois " + sku, sku, price = 10m });
        await RestockAsync(manager.Http, sku, 2);

        Assert.Equal(2, await StoreSteps.AvailableAsync(host.CreateClient(), sku));
    }

    internal static string NewSku(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    internal static async Task<long> CreateAsync(HttpClient http, string route, object body)
    {
        using var response = await http.PostAsJsonAsync(route, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task RestockAsync(HttpClient http, string sku, int quantity)
    {
        using var restocked = await http.PostAsJsonAsync($"/api/admin/inventory/{sku}/restock", new { quantity });
        Assert.Equal(HttpStatusCode.OK, restocked.StatusCode);
    }
}
