namespace MestresCafe.Content;

/// <summary>Where a post stands in the editorial workflow; spelled in SQL by <see cref="SnakeCaseNames"/>.</summary>
public enum BlogPostStatus
{
    Draft,
    Review,
    Scheduled,
    Published,
    Unpublished,
    Archived,
}

/// <summary>A post's status and the time it goes (or went) live.</summary>
public sealed record BlogPostState(BlogPostStatus Status, DateTimeOffset? PublishedAt);

/// <summary>The next state, or why the move is refused (the state stays as it was).</summary>
public sealed record BlogPostMove(BlogPostState? Next, string? Refusal)
{
    public static BlogPostMove To(BlogPostState next) => new(next, null);

    public static BlogPostMove Refused(string reason) => new(null, reason);
}

/// <summary>
/// The editorial workflow: draft → review → published now, or scheduled for a time → unpublished.
/// A post goes live only after review; review can send it back to draft; a scheduled post can be
/// sent back before its time or rescheduled; an unpublished post goes through review again.
/// Liveness is one rule (<see cref="IsLive"/>), the same the read side's SQL applies, so a scheduled
/// post is live from its time on whether or not <see cref="GoLive"/> has been recorded yet.
/// </summary>
public static class BlogPostLifecycle
{
    /// <summary>How far ahead a post may be scheduled.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(366);

    public static bool IsLive(BlogPostState post, DateTimeOffset now) =>
        post.Status is BlogPostStatus.Published or BlogPostStatus.Scheduled && post.PublishedAt <= now;

    /// <summary>The author hands the post to an editor.</summary>
    public static BlogPostMove Submit(BlogPostState post) => post.Status is BlogPostStatus.Draft or BlogPostStatus.Unpublished
        ? BlogPostMove.To(post with { Status = BlogPostStatus.Review })
        : BlogPostMove.Refused($"Only a draft or an unpublished post can be sent to review; this one is {post.Status.ToSnakeCase()}.");

    /// <summary>The editor sends the post back to its author; a scheduled post that is not live yet is taken off the schedule.</summary>
    public static BlogPostMove SendBack(BlogPostState post, DateTimeOffset now) => post.Status switch
    {
        BlogPostStatus.Review => BlogPostMove.To(new BlogPostState(BlogPostStatus.Draft, null)),
        BlogPostStatus.Scheduled when !IsLive(post, now) => BlogPostMove.To(new BlogPostState(BlogPostStatus.Draft, null)),
        BlogPostStatus.Scheduled => BlogPostMove.Refused("The post is already live: unpublish it instead."),
        _ => BlogPostMove.Refused($"Only a post in review or scheduled can be sent back to draft; this one is {post.Status.ToSnakeCase()}."),
    };

    /// <summary>
    /// Publishes a reviewed post now (<paramref name="at"/> absent or not in the future) or schedules
    /// it for <paramref name="at"/>; a scheduled post that is not live yet may be moved to another time.
    /// </summary>
    public static BlogPostMove Publish(BlogPostState post, DateTimeOffset? at, DateTimeOffset now)
    {
        if (post.Status is not (BlogPostStatus.Review or BlogPostStatus.Scheduled) || IsLive(post, now))
        {
            return BlogPostMove.Refused(IsLive(post, now)
                ? "The post is already live."
                : $"Only a post in review (or scheduled) can be published; this one is {post.Status.ToSnakeCase()}.");
        }

        if (at > now + MaxScheduleAhead)
        {
            return BlogPostMove.Refused("A post can be scheduled at most a year ahead.");
        }

        return at > now
            ? BlogPostMove.To(new BlogPostState(BlogPostStatus.Scheduled, at))
            : BlogPostMove.To(new BlogPostState(BlogPostStatus.Published, now));
    }

    /// <summary>The sweep records that a scheduled post's time has come (it is already live to readers).</summary>
    public static BlogPostMove GoLive(BlogPostState post, DateTimeOffset now) =>
        post.Status == BlogPostStatus.Scheduled && post.PublishedAt <= now
            ? BlogPostMove.To(post with { Status = BlogPostStatus.Published })
            : BlogPostMove.Refused("Only a scheduled post whose time has come goes live.");

    /// <summary>Takes a live post off the site; it keeps its first publication time.</summary>
    public static BlogPostMove Unpublish(BlogPostState post, DateTimeOffset now) => IsLive(post, now)
        ? BlogPostMove.To(post with { Status = BlogPostStatus.Unpublished })
        : BlogPostMove.Refused($"Only a live post can be unpublished; this one is {post.Status.ToSnakeCase()}.");
}
