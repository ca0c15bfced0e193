using MestresCafe.Data.Content;

namespace MestresCafe.Api.Content;

/// <summary>
/// Records scheduled posts whose time has come as published and drops the blog cache on every
/// server. Every server runs it (the update is conditional, so each post is flipped once); readers
/// see the post from its time on either way (<see cref="ContentCache"/>, <see cref="BlogQueries.LivePost"/>).
/// </summary>
public sealed class ScheduledPostPublisher(BlogAdminStore store, ContentCache cache)
{
    /// <summary>Returns the posts recorded as published.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var published = await store.PublishDueAsync(cancellationToken);
        if (published.Count > 0)
        {
            await cache.InvalidateAsync(cancellationToken);
        }

        return published.Count;
    }
}
