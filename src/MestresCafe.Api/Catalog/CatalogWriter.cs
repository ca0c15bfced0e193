using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Pricing;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Catalog;

/// <summary>
/// Runs one catalog write through the <see cref="AuditedWriter"/>, then invalidates the catalog
/// cache on every server once it committed, and this server's cart prices.
/// </summary>
public sealed class CatalogWriter(AuditedWriter writer, CatalogCache cache, RecentCatalogPrices cartPrices) : IAuditedWriter
{
    public async Task<(RowChange? Change, IResult? Problem)> RunAsync(
        HttpContext http, string action, string table, Func<WriteScope, CancellationToken, Task<WriteOutcome>> step)
    {
        var result = await writer.RunAsync(http, action, table, step);
        if (result.Change is not null)
        {
            // After the commit: a server that refills its cache in between reads the new rows.
            cartPrices.Forget();
            await cache.InvalidateAsync(CancellationToken.None);
        }

        return result;
    }
}
