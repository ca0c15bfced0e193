using MestresCafe.Api.Accounts;
using MestresCafe.Api.Mail;
using MestresCafe.Api.Marketing;
using MestresCafe.Testing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Tests.Marketing;

public sealed class MarketingLinksTests
{
    private static readonly MarketingLinks Links = New(TestEnvironment.ServerSecrets["Accounts:LinkKey"]);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static MarketingLinks New(string key) =>
        new(Options.Create(new AccountOptions { LinkKey = key }), Options.Create(new MailOptions { PublicBaseUrl = "https://loja.example/" }));

    [Fact]
    public void A_subscriber_token_reads_back_its_account_or_subscription_and_recipient()
    {
        var account = Links.ReadSubscriberToken(Links.SubscriberToken("u12", 345));
        var subscriber = Links.ReadSubscriberToken(Links.SubscriberToken("s7", null));

        Assert.Equal(12, account!.Subject.UserId);
        Assert.Null(account.Subject.SubscriptionId);
        Assert.Equal(345, account.RecipientId);
        Assert.Equal(7, subscriber!.Subject.SubscriptionId);
        Assert.Null(subscriber.RecipientId);
    }

    [Theory]
    [InlineData("u13")]
    [InlineData("s12")]
    [InlineData("u12.r346")]
    public void A_token_whose_payload_was_changed_is_refused(string forged)
    {
        var genuine = Links.SubscriberToken("u12", 345);
        var mac = genuine[(genuine.LastIndexOf('.') + 1)..];

        Assert.Null(Links.ReadSubscriberToken(forged + "." + mac));
        Assert.Null(Links.ReadSubscriberToken(forged));
        Assert.Null(Links.ReadSubscriberToken(""));
        Assert.Null(Links.ReadSubscriberToken(".x"));
    }

    [Fact]
    public void A_token_signed_under_another_key_is_refused()
    {
        var other = New("another-link-key-0123456789abcdef-0123456789");

        Assert.Null(Links.ReadSubscriberToken(other.SubscriberToken("u12", null)));
        Assert.Null(Links.ReadOpenToken(other.OpenToken(5)));
    }

    [Fact]
    public void A_click_token_is_bound_to_its_target()
    {
        var token = Links.ClickToken(9, "https://loja.example/cafes");

        Assert.Equal(9, Links.ReadClickToken(token, "https://loja.example/cafes"));
        Assert.Null(Links.ReadClickToken(token, "https://elsewhere.example/"));
        Assert.Null(Links.ReadOpenToken(token));
    }

    [Fact]
    public void A_text_click_token_is_short_and_reads_back_its_recipient_and_link_only_as_signed()
    {
        var first = Links.TextClickToken(1_234_567, 0);
        var third = Links.TextClickToken(1_234_567, 2);

        Assert.Equal((1_234_567L, 0), Links.ReadTextClickToken(first));
        Assert.Equal((1_234_567L, 2), Links.ReadTextClickToken(third));
        Assert.Equal("https://loja.example/api/marketing/t/" + first, Links.TextClickUrl(1_234_567, 0));
        Assert.True(first.Length <= 20, first);
        Assert.Null(Links.ReadTextClickToken("1234568" + first[first.IndexOf('.')..]));
        Assert.Null(Links.ReadTextClickToken("1234567-1" + first[first.IndexOf('.')..]));
        Assert.Null(Links.ReadTextClickToken(New("another-link-key-0123456789abcdef-0123456789").TextClickToken(1_234_567, 0)));
        Assert.Null(Links.ReadTextClickToken(Links.ClickToken(1_234_567, "https://loja.example/")));
    }

    [Fact]
    public void A_confirmation_works_within_its_lifetime_only()
    {
        var token = Links.ConfirmationToken("ana@example.com.br", ["cafes", "cursos"], Now);

        var read = Links.ReadConfirmationToken(token, Now.AddDays(2), TimeSpan.FromDays(3));
        Assert.Equal("ana@example.com.br", read!.Email);
        Assert.Equal(["cafes", "cursos"], read.Topics);
        Assert.Equal(Now, read.IssuedAt);
        Assert.Null(Links.ReadConfirmationToken(token, Now.AddDays(3).AddSeconds(1), TimeSpan.FromDays(3)));
        Assert.Null(Links.ReadConfirmationToken(token, Now.AddMinutes(-1), TimeSpan.FromDays(3)));
        Assert.Null(Links.ReadConfirmationToken("x" + token, Now, TimeSpan.FromDays(3)));
    }

    [Fact]
    public void Tracking_leaves_the_unsubscribe_links_and_adds_one_pixel()
    {
        var decorator = new MarketingMailDecorator(Links);
        var marking = new MarketingMarking(Links.SubscriberToken("u1", 77), 77);
        const string Html = """<html><body><a href="https://loja.example/cafes?a=1&amp;b=2">x</a><a href="https://loja.example/newsletter/descadastrar?token=t">sair</a></body></html>""";

        var tracked = decorator.Track(Html, marking);

        Assert.Contains("https://loja.example/api/marketing/click/" + Links.ClickToken(77, "https://loja.example/cafes?a=1&b=2"), tracked, StringComparison.Ordinal);
        Assert.Contains("href=\"https://loja.example/newsletter/descadastrar?token=t\"", tracked, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(tracked, "/api/marketing/open/"));
        Assert.EndsWith("</body></html>", tracked, StringComparison.Ordinal);
        Assert.Equal(Html, decorator.Track(Html, marking with { RecipientId = null }));
    }
}
