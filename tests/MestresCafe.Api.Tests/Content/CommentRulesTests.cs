using MestresCafe.Content;

namespace MestresCafe.Api.Tests.Content;

public sealed class CommentRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Veja [aqui](https://x.example) agora", "Veja aqui agora")]
    [InlineData("Foto ![gato](https://x.example/g.png) fofa", "Foto gato fofa")]
    [InlineData("Acesse https://x.example/promo ou www.x.example hoje", "Acesse ou hoje")]
    [InlineData("Link <https://x.example> no meio", "Link no meio")]
    [InlineData("Sem links, só café.", "Sem links, só café.")]
    public void A_new_account_loses_its_links_but_keeps_their_words(string text, string stored) =>
        Assert.Equal(stored, CommentRules.Normalize(text, newAccount: true));

    [Fact]
    public void An_older_account_keeps_its_links()
    {
        Assert.Equal("Veja [aqui](https://x.example)", CommentRules.Normalize("  Veja [aqui](https://x.example) ", newAccount: false));
        Assert.True(CommentRules.IsNewAccount(Now.AddDays(-6), Now));
        Assert.False(CommentRules.IsNewAccount(Now - CommentRules.NewAccountPeriod, Now));
    }

    [Fact]
    public void Replies_go_one_level_deep_to_published_comments_of_the_same_post()
    {
        Assert.Null(CommentRules.CheckReply(new CommentParent(7, null, CommentStatus.Approved), 7));
        Assert.NotNull(CommentRules.CheckReply(null, 7));
        Assert.NotNull(CommentRules.CheckReply(new CommentParent(8, null, CommentStatus.Approved), 7));
        Assert.NotNull(CommentRules.CheckReply(new CommentParent(7, 3, CommentStatus.Approved), 7));
        Assert.NotNull(CommentRules.CheckReply(new CommentParent(7, null, CommentStatus.Pending), 7));
    }

    [Fact]
    public void Moderation_decides_a_pending_comment_once()
    {
        Assert.Null(CommentRules.CheckModeration(CommentStatus.Pending, CommentStatus.Approved));
        Assert.Null(CommentRules.CheckModeration(CommentStatus.Pending, CommentStatus.Rejected));
        Assert.NotNull(CommentRules.CheckModeration(CommentStatus.Approved, CommentStatus.Rejected));
        Assert.NotNull(CommentRules.CheckModeration(CommentStatus.Rejected, CommentStatus.Approved));
        Assert.NotNull(CommentRules.CheckModeration(CommentStatus.Pending, CommentStatus.Pending));
    }
}
