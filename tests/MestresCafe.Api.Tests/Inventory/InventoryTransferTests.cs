using System.Net;
using System.Text.Json;
using MestresCafe.Api.Inventory;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Inventory;
using MestresCafe.Inventory;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MestresCafe.Api.Tests.Inventory.TransferSteps;

namespace MestresCafe.Api.Tests.Inventory;

/// <summary>
/// Transfers between locations: two movements that move the units exactly once, whether the
/// request is retried or its server stops between them; refused, with nothing written, when a
/// location is unknown, the same twice, or the source has fewer units available.
/// </summary>
public sealed class InventoryTransferTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Default = InventoryKey.DefaultLocation;

    [Fact]
    public async Task A_transfer_moves_its_units_once_and_its_retry_moves_nothing_more()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10);
        var shop = await CreateLocationAsync(manager.Http);
        var key = NewKey();
        var body = new { sku = sku.ToLowerInvariant(), from = Default, to = shop.ToLowerInvariant(), quantity = 4, notes = "Vitrine" };

        using var first = await TransferAsync(manager.Http, key, body);
        var transfer = await first.JsonAsync(HttpStatusCode.Created);
        var id = transfer.GetProperty("id").GetInt64();
        Assert.Equal(("completed", sku, shop, 4), (transfer.GetProperty("status").GetString(), transfer.GetProperty("sku").GetString(),
            transfer.GetProperty("toLocation").GetString(), transfer.GetProperty("quantity").GetInt32()));

        using var retried = await TransferAsync(manager.Http, key, body);
        Assert.Equal(id, (await retried.JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64());
        using var otherBody = await TransferAsync(manager.Http, key, new { sku, from = Default, to = shop, quantity = 5 });
        Assert.Equal(HttpStatusCode.Conflict, otherBody.StatusCode);

        Assert.Equal((6, 4), (await AvailableAtAsync(manager.Http, sku, Default), await AvailableAtAsync(manager.Http, sku, shop)));
        Assert.True(await Eventually.TrueAsync(async () => await MovementsAsync(id) == "transfer_in 4 " + shop + ",transfer_out 4 " + Default),
            "the transfer was not projected as one movement out and one in");
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'inventory.transfer' and table_name = 'inventory_transfers' and record_id = $1 and user_id = $2", id, manager.UserId));
    }

    [Fact]
    public async Task A_transfer_from_an_unknown_or_same_location_or_of_more_than_is_available_is_refused_and_nothing_moves()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 5);
        var depot = await CreateLocationAsync(manager.Http);
        var closed = await CreateLocationAsync(manager.Http);
        using (var deactivated = await manager.Http.DeleteAsync($"/api/admin/inventory/locations/{await host.Database.ScalarAsync<long>("select id from locations where code = $1", closed)}"))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        var keys = Enumerable.Range(0, 6).Select(_ => NewKey()).ToArray();
        Assert.Equal("to", await FieldAsync(await TransferAsync(manager.Http, keys[0], new { sku, from = Default, to = "NAO-EXISTE", quantity = 1 })));
        Assert.Equal("from", await FieldAsync(await TransferAsync(manager.Http, keys[1], new { sku, from = "NAO-EXISTE", to = depot, quantity = 1 })));
        Assert.Equal("to", await FieldAsync(await TransferAsync(manager.Http, keys[2], new { sku, from = Default, to = Default, quantity = 1 })));
        Assert.Equal("to", await FieldAsync(await TransferAsync(manager.Http, keys[3], new { sku, from = Default, to = closed, quantity = 1 })));
        Assert.Equal("quantity", await FieldAsync(await TransferAsync(manager.Http, keys[4], new { sku, from = Default, to = depot, quantity = 6 })));
        Assert.Equal("sku", await FieldAsync(await TransferAsync(manager.Http, keys[5], new { sku, from = depot, to = Default, quantity = 1 })));
        using var noKey = await TransferAsync(manager.Http, null, new { sku, from = Default, to = depot, quantity = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        using var zero = await TransferAsync(manager.Http, NewKey(), new { sku, from = Default, to = depot, quantity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);

        Assert.Equal(5, await StoreSteps.AvailableAsync(manager.Http, sku));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from inventory_transfers where sku = $1", sku));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from inventory where location = $1", depot));
    }

    [Fact]
    public async Task A_transfer_whose_server_stopped_between_its_steps_is_finished_by_its_retry_or_the_sweeper_without_losing_or_adding_a_unit()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 30);
        var depot = await CreateLocationAsync(manager.Http);
        var store = host.Services.GetRequiredService<InventoryTransferStore>();
        var transfers = host.Services.GetRequiredService<InventoryTransfers>();
        var source = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));
        var actor = new AuditActor(manager.UserId, null, null);

        // Stopped after the withdrawal, before the destination received: 5 units are in flight until the retry.
        var key = NewKey();
        var halfDone = (await store.RecordAsync(new TransferInput(key, sku, Default, depot, 5, null), actor, default)).Transfer!;
        var withdrawn = await source.WithdrawAsync(new StockWithdrawal(InventoryTransfers.WithdrawOperationId(halfDone.Id), 5, "transfer", halfDone.Id, null, null));
        Assert.Equal((AdjustmentOutcome.Adjusted, 25), (withdrawn.Outcome, withdrawn.Snapshot!.Available));
        using var retried = await TransferAsync(manager.Http, key, new { sku, from = Default, to = depot, quantity = 5 });
        Assert.Equal("completed", (await retried.JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal((25, 5), await StockAsync(manager.Http, sku, depot));

        // Stopped after recording, before any movement: the sweeper finishes it.
        var recordedOnly = (await store.RecordAsync(new TransferInput(NewKey(), sku, Default, depot, 7, null), actor, default)).Transfer!;
        // Stopped after both movements, before marking it completed: finishing it moves nothing more.
        var moved = (await store.RecordAsync(new TransferInput(NewKey(), sku, depot, Default, 2, null), actor, default)).Transfer!;
        await source.ReceiveAsync(new StockReceipt(InventoryTransfers.ReceiveOperationId(moved.Id), 2, 10m, "transfer", moved.Id, null, null));
        await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IInventoryItemGrain>(InventoryKey.For(sku, depot))
            .WithdrawAsync(new StockWithdrawal(InventoryTransfers.WithdrawOperationId(moved.Id), 2, "transfer", moved.Id, null, null));

        Assert.True(await transfers.ResumePendingAsync(TimeSpan.Zero, default) >= 2);
        Assert.Equal((25 - 7 + 2, 5 + 7 - 2), await StockAsync(manager.Http, sku, depot));
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "select count(*) from inventory_transfers where id = any($1) and status <> 'completed'", new[] { halfDone.Id, recordedOnly.Id, moved.Id }));
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from inventory_movements where reference_type = 'transfer' and reference_id = any($1)", new[] { halfDone.Id, recordedOnly.Id, moved.Id }) == 6),
            "each transfer was not projected as exactly two movements");
    }

    [Fact]
    public async Task A_transfer_whose_source_sold_the_units_meanwhile_fails_and_moves_nothing()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 4);
        var depot = await CreateLocationAsync(manager.Http);
        var store = host.Services.GetRequiredService<InventoryTransferStore>();
        var key = NewKey();
        // Recorded when 4 were available; then someone reserved 2 before the withdrawal ran.
        await store.RecordAsync(new TransferInput(key, sku, Default, depot, 4, null), new AuditActor(manager.UserId, null, null), default);
        var reserved = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IInventoryItemGrain>(InventoryKey.For(sku))
            .ReserveAsync(Guid.NewGuid(), 2, DateTimeOffset.UtcNow.AddHours(1));
        Assert.True(reserved.Succeeded);

        using var retried = await TransferAsync(manager.Http, key, new { sku, from = Default, to = depot, quantity = 4 });
        Assert.Equal("quantity", await FieldAsync(retried));
        Assert.Equal((2, 0), await StockAsync(manager.Http, sku, depot));
        Assert.Equal("failed", await host.Database.ScalarAsync<string>("select status from inventory_transfers where idempotency_key = $1", key));
    }

    private static async Task<(int Source, int Destination)> StockAsync(HttpClient http, string sku, string destination) =>
        (await AvailableAtAsync(http, sku, Default), await AvailableAtAsync(http, sku, destination));

    private static async Task<string> FieldAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
            return Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name;
        }
    }

    private async Task<string> MovementsAsync(long transferId) => await host.Database.ScalarAsync<string>(
        """
        select coalesce(string_agg(m.type || ' ' || m.quantity || ' ' || i.location, ',' order by m.type), '')
        from inventory_movements m join inventory i on i.id = m.inventory_id
        where m.reference_type = 'transfer' and m.reference_id = $1
        """, transferId);
}
