using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Inventory.TransferSteps;

namespace MestresCafe.Api.Tests.Inventory;

/// <summary>
/// Two servers (separate processes, one cluster) receive the same transfer at the same time, as a
/// client retrying on another server after a timeout would: the units move once.
/// </summary>
[Collection(TwoServersCollection.Name)]
public sealed class TransferAcrossServersTests(TwoServersFixture servers)
{
    [Fact]
    public async Task A_transfer_sent_to_two_servers_at_once_moves_its_units_once()
    {
        var (one, two) = (servers.One, servers.Two);
        var sku = "TRF-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await servers.Database.InsertItemAsync(sku, stock: 30);
        var depot = await CreateLocationAsync(one);

        var key = NewKey();
        var answers = await Task.WhenAll(new[] { one, two, one, two }.Select(async http =>
        {
            using var response = await TransferAsync(http, key, new { sku, from = "CD-SP", to = depot, quantity = 12 });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, Id: body.GetProperty("id").GetInt64(), Status: body.GetProperty("status").GetString());
        }));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers, a => Assert.Equal("completed", a.Status));
        var id = Assert.Single(answers.Select(a => a.Id).Distinct());
        foreach (var http in new[] { one, two })
        {
            Assert.Equal((18, 12), (await AvailableAtAsync(http, sku, "CD-SP"), await AvailableAtAsync(http, sku, depot)));
        }

        Assert.Equal(1, await servers.Database.ScalarAsync<long>("select count(*) from inventory_transfers where idempotency_key = $1", key));
        Assert.True(await Eventually.TrueAsync(async () => await servers.Database.ScalarAsync<long>(
            "select count(*) from inventory_movements where reference_type = 'transfer' and reference_id = $1", id) == 2),
            "the transfer was not projected as exactly two movements");
    }
}
