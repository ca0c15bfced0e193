using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Purchasing.PurchasingSteps;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>
/// Two servers (separate processes, one cluster) receive the same receipt at the same time, as a
/// client retrying on another server after a timeout would: the units are added once.
/// </summary>
[Collection(TwoServersCollection.Name)]
public sealed class ReceiptAcrossServersTests(TwoServersFixture servers)
{
    [Fact]
    public async Task A_receipt_sent_to_two_servers_at_once_adds_its_units_once()
    {
        var (one, two) = (servers.One, servers.Two);
        var sku = "RCV-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var productId = await servers.Database.InsertItemAsync(sku, stock: 0);
        var supplier = await CreateSupplierAsync(one);
        await CreateSupplierProductAsync(one, supplier, productId, price: 9m);
        var id = (await CreateOrderAsync(one, supplier, new { sku, quantity = 40 })).GetProperty("id").GetInt64();
        using var sent = await SendAsync(two, id);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var key = NewKey();
        var answers = await Task.WhenAll(new[] { one, two, one, two }.Select(async http =>
        {
            using var response = await ReceiveAsync(http, id, key, [new { sku, quantity = 25 }]);
            return (response.StatusCode, Receipt: (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptId").GetInt64());
        }));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(answers.Select(a => a.Receipt).Distinct());
        foreach (var http in new[] { one, two })
        {
            Assert.Equal(25, (await http.GetFromJsonAsync<JsonElement>($"/api/inventory/{sku}/availability")).GetProperty("available").GetInt32());
        }

        Assert.Equal(1, await servers.Database.ScalarAsync<long>("select count(*) from purchase_order_receipts where purchase_order_id = $1 and applied_at is not null", id));
        Assert.Equal(25, await servers.Database.ScalarAsync<int>("select quantity_received from purchase_order_items where purchase_order_id = $1", id));
        Assert.True(await Eventually.TrueAsync(async () => await servers.Database.ScalarAsync<long>(
            "select coalesce(sum(quantity), 0) from inventory_movements where reference_type = 'purchase_order' and reference_id = $1", id) == 25),
            "the receipt was not projected once");
    }
}
