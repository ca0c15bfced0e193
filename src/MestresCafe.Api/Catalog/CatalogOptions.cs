namespace MestresCafe.Api.Catalog;

/// <summary>Catalog settings, section "Catalog".</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>False turns off both the data cache and the response cache (benchmarks, diagnosis).</summary>
    public bool Caching { get; set; } = true;

    /// <summary>How long catalog data lives in Redis (the data architecture document: 1 h, invalidated on update).</summary>
    public TimeSpan DataTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a server keeps catalog data in memory. Shorter than <see cref="DataTtl"/> so that a
    /// server which missed an invalidation (backplane down) is stale for minutes, not an hour.
    /// </summary>
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an anonymous catalog response is reused (the document: API responses, 5 min).</summary>
    public TimeSpan ResponseTtl { get; set; } = TimeSpan.FromMinutes(5);
}
