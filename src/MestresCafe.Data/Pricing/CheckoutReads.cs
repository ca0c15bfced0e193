using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using Npgsql;

namespace MestresCafe.Data.Pricing;

/// <summary>What checkout prices a cart from: the lines' catalog prices and the buyer's current groups.</summary>
public sealed record CheckoutPrices(IReadOnlyDictionary<string, PricedItem> Items, IReadOnlyList<CurrentGroup> Groups);

/// <summary>
/// Checkout's two reads (<see cref="CatalogPrices"/> and <see cref="GroupDiscountQuery.CurrentGroupsAsync"/>)
/// sent as one batch: one round trip and one PostgreSQL transaction on the buyer's path instead of
/// two (docs/BENCHMARKS.md, "Checkout's reads and the webhook"). An empty sku list still reads the groups.
/// </summary>
public sealed class CheckoutReads(NpgsqlDataSource dataSource)
{
    public async Task<CheckoutPrices> ReadAsync(IEnumerable<string> skus, long userId, CancellationToken cancellationToken = default)
    {
        var wanted = CatalogPrices.Wanted(skus);
        var items = new Dictionary<string, PricedItem>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { GroupDiscountQuery.CurrentGroupsCommand(userId), CatalogPrices.BatchCommand(wanted) },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var groups = await GroupDiscountQuery.ReadCurrentGroupsAsync(reader, cancellationToken);
        if (await reader.NextResultAsync(cancellationToken))
        {
            await CatalogPrices.ReadAllAsync(reader, items, cancellationToken);
        }

        return new CheckoutPrices(items, groups);
    }
}
