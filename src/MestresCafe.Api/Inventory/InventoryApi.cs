using MestresCafe.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Inventory;

public static class InventoryApi
{
    public static RouteGroupBuilder MapInventoryApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/inventory").WithTags("Inventory");

        group.MapGet("/{sku}", GetAsync)
            .WithName("GetInventoryItem")
            .WithSummary("Stock of one item at a location: available, reserved, sold.");

        return group;
    }

    private static async Task<Ok<InventorySnapshot>> GetAsync(string sku, IGrainFactory grains, string location = InventoryKey.DefaultLocation)
    {
        var snapshot = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku, location)).GetAsync();
        return TypedResults.Ok(snapshot);
    }
}
