using System.Diagnostics.Metrics;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// Cache hits and misses per layer ("data": catalog query results, "response": whole anonymous
/// responses), as System.Diagnostics.Metrics counters for exporters and as running totals for the
/// back-office JSON endpoint.
/// </summary>
public sealed class CacheMetrics
{
    public const string MeterName = "MestresCafe.Cache";

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly LayerTotals _data = new();
    private readonly LayerTotals _response = new();

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _hits = meter.CreateCounter<long>("mestrescafe.cache.hits", description: "Catalog cache lookups answered from the cache.");
        _misses = meter.CreateCounter<long>("mestrescafe.cache.misses", description: "Catalog cache lookups that went to PostgreSQL.");
    }

    public void Record(string layer, bool hit)
    {
        var tag = new KeyValuePair<string, object?>("layer", layer);
        var totals = layer == Layers.Response ? _response : _data;
        if (hit)
        {
            _hits.Add(1, tag);
            Interlocked.Increment(ref totals.Hits);
        }
        else
        {
            _misses.Add(1, tag);
            Interlocked.Increment(ref totals.Misses);
        }
    }

    public CacheStatistics Snapshot() => new(Layer(_data), Layer(_response));

    private static LayerStatistics Layer(LayerTotals totals)
    {
        var hits = Interlocked.Read(ref totals.Hits);
        var misses = Interlocked.Read(ref totals.Misses);
        return new LayerStatistics(hits, misses, hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 4));
    }

    public static class Layers
    {
        public const string Data = "data";
        public const string Response = "response";
    }

    private sealed class LayerTotals
    {
        public long Hits;
        public long Misses;
    }
}

public sealed record LayerStatistics(long Hits, long Misses, double HitRate);

public sealed record CacheStatistics(LayerStatistics Data, LayerStatistics Response);
