using MestresCafe.Data.Content;
using MestresCafe.Scheduling;

namespace MestresCafe.Api.Content;

/// <summary>
/// Records scheduled posts whose time has come as published and drops the blog cache on every
/// server. The cluster's scheduler runs it (row <see cref="TaskName"/>, every 5 minutes; the
/// update is conditional, so each post is flipped once); readers see the post from its time on
/// either way (<see cref="ContentCache"/>, <see cref="BlogQueries.LivePost"/>), so the record may lag.
/// </summary>
public sealed class ScheduledPostPublisher(BlogAdminStore store, ContentCache cache) : IScheduledTask
{
    public const string TaskName = "blog.publish_scheduled";

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
