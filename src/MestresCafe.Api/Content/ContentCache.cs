using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Data.Content;

namespace MestresCafe.Api.Content;

/// <summary>
/// Blog and course data in the catalog's cache (memory, Redis, the Redis backplane; 1 h) under the
/// tag <see cref="Tag"/>, which a publication, an edit or an unpublish removes on every server.
/// </summary>
/// <remarks>
/// A scheduled post must appear at its time without anyone dropping the cache. So each entry
/// remembers when the next scheduled post goes live, read before the data itself (a post going live
/// in between is then in the data, never missing from it); a server that finds that time passed
/// drops the blog's entries everywhere and reads again. No server shows a post late or early by more
/// than its clock's distance from PostgreSQL's.
/// </remarks>
public sealed class ContentCache(CatalogCache cache, BlogQueries queries, TimeProvider time)
{
    public const string Tag = "content";

    public async ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CancellationToken cancellationToken)
    {
        var entry = await ReadAsync(key, factory, cancellationToken);
        if (entry.StaleAt is { } staleAt && staleAt <= time.GetUtcNow())
        {
            await InvalidateAsync(cancellationToken);
            entry = await ReadAsync(key, factory, cancellationToken);
        }

        return entry.Value;
    }

    /// <summary>Drops every cached blog and course entry on every server.</summary>
    public Task InvalidateAsync(CancellationToken cancellationToken = default) => cache.InvalidateTagAsync(Tag, cancellationToken);

    private ValueTask<ContentEntry<T>> ReadAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(Tag + ":" + key, async token =>
        {
            var staleAt = await queries.NextScheduledAsync(token);
            return new ContentEntry<T>(await factory(token), staleAt);
        }, cancellationToken, Tag);
}

/// <summary>A cached value and the time it stops being true (the next scheduled publication).</summary>
public sealed record ContentEntry<T>(T Value, DateTimeOffset? StaleAt);
