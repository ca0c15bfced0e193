using MestresCafe.Content;

namespace MestresCafe.Api.Tests.Content;

public sealed class BlogPostLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly BlogPostState Draft = new(BlogPostStatus.Draft, null);

    private static BlogPostState Reviewed() => BlogPostLifecycle.Submit(Draft).Next!;

    [Fact]
    public void A_draft_goes_live_only_through_review()
    {
        Assert.NotNull(BlogPostLifecycle.Publish(Draft, null, Now).Refusal);

        var published = BlogPostLifecycle.Publish(Reviewed(), null, Now).Next!;

        Assert.Equal(new BlogPostState(BlogPostStatus.Published, Now), published);
        Assert.True(BlogPostLifecycle.IsLive(published, Now));
    }

    [Fact]
    public void A_future_time_schedules_the_post_and_it_is_live_from_that_time_on()
    {
        var at = Now.AddHours(2);

        var scheduled = BlogPostLifecycle.Publish(Reviewed(), at, Now).Next!;

        Assert.Equal(new BlogPostState(BlogPostStatus.Scheduled, at), scheduled);
        Assert.False(BlogPostLifecycle.IsLive(scheduled, at.AddTicks(-1)));
        Assert.True(BlogPostLifecycle.IsLive(scheduled, at));
        Assert.NotNull(BlogPostLifecycle.GoLive(scheduled, at.AddTicks(-1)).Refusal);
        Assert.Equal(new BlogPostState(BlogPostStatus.Published, at), BlogPostLifecycle.GoLive(scheduled, at).Next);
    }

    [Fact]
    public void A_time_in_the_past_publishes_now_and_a_time_beyond_a_year_is_refused()
    {
        Assert.Equal(new BlogPostState(BlogPostStatus.Published, Now), BlogPostLifecycle.Publish(Reviewed(), Now.AddDays(-3), Now).Next);
        Assert.NotNull(BlogPostLifecycle.Publish(Reviewed(), Now + BlogPostLifecycle.MaxScheduleAhead + TimeSpan.FromMinutes(1), Now).Refusal);
    }

    [Fact]
    public void A_scheduled_post_can_be_moved_or_sent_back_until_it_is_live()
    {
        var scheduled = BlogPostLifecycle.Publish(Reviewed(), Now.AddHours(1), Now).Next!;

        Assert.Equal(Now.AddHours(3), BlogPostLifecycle.Publish(scheduled, Now.AddHours(3), Now).Next!.PublishedAt);
        Assert.Equal(Draft, BlogPostLifecycle.SendBack(scheduled, Now).Next);

        var later = Now.AddHours(1);
        Assert.NotNull(BlogPostLifecycle.SendBack(scheduled, later).Refusal);
        Assert.NotNull(BlogPostLifecycle.Publish(scheduled, Now.AddHours(5), later).Refusal);
        Assert.Equal(BlogPostStatus.Unpublished, BlogPostLifecycle.Unpublish(scheduled, later).Next!.Status);
    }

    [Fact]
    public void An_unpublished_post_keeps_its_date_and_goes_through_review_again()
    {
        var published = BlogPostLifecycle.Publish(Reviewed(), null, Now).Next!;
        var unpublished = BlogPostLifecycle.Unpublish(published, Now.AddDays(1)).Next!;

        Assert.Equal(new BlogPostState(BlogPostStatus.Unpublished, Now), unpublished);
        Assert.False(BlogPostLifecycle.IsLive(unpublished, Now.AddDays(2)));
        Assert.NotNull(BlogPostLifecycle.Publish(unpublished, null, Now).Refusal);
        Assert.NotNull(BlogPostLifecycle.Unpublish(unpublished, Now).Refusal);
        Assert.Equal(BlogPostStatus.Review, BlogPostLifecycle.Submit(unpublished).Next!.Status);
    }

    [Theory]
    [InlineData(BlogPostStatus.Review)]
    [InlineData(BlogPostStatus.Published)]
    [InlineData(BlogPostStatus.Scheduled)]
    [InlineData(BlogPostStatus.Archived)]
    public void Only_drafts_and_unpublished_posts_are_submitted(BlogPostStatus status) =>
        Assert.NotNull(BlogPostLifecycle.Submit(new BlogPostState(status, Now)).Refusal);

    [Theory]
    [InlineData(BlogPostStatus.Draft)]
    [InlineData(BlogPostStatus.Published)]
    [InlineData(BlogPostStatus.Unpublished)]
    public void Only_posts_in_review_or_not_yet_live_are_sent_back(BlogPostStatus status) =>
        Assert.NotNull(BlogPostLifecycle.SendBack(new BlogPostState(status, status == BlogPostStatus.Draft ? null : Now.AddDays(-1)), Now).Refusal);
}
