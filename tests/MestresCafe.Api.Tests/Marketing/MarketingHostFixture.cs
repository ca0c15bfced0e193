using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Mail;
using MestresCafe.Testing;
using MimeKit;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>
/// One server for the marketing tests (newsletter and campaigns share it: one start instead of
/// two), its mail sender on a real SMTP server of its own, its text sender on the simulated
/// provider, its campaign dispatcher stepping often.
/// </summary>
public sealed class MarketingHostFixture : MailHostFixture
{
    /// <summary>What the complaint webhook's reports are signed with here.</summary>
    public const string ComplaintSecret = "complaint-reports-test-secret-0123456789";
    public const string TextWebhookSecret = "test-marketing-text-secret-0123456789abcdef-not-for-production";

    protected override ApiTestHost Configure(ApiTestHost host) =>
        host.With("Mail:BatchSize", "100").With("Marketing:DispatchEvery", "00:00:00.050").With("Marketing:ComplaintWebhookSecret", ComplaintSecret)
            .With("TextMessages:Enabled", "true").With("TextMessages:Provider", "Simulated")
            .With("TextMessages:WebhookSecret", TextWebhookSecret).With("TextMessages:PollInterval", "00:00:00.050");

    /// <summary>A signed-in customer who gave e-mail marketing consent (which also subscribes their address).</summary>
    public async Task<SignedInClient> ConsentingCustomerAsync()
    {
        var customer = await Host.CreateSignedInClientAsync();
        using var consented = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "email_marketing", granted = true } } });
        consented.EnsureSuccessStatusCode();
        return customer;
    }

    /// <summary>The messages delivered to <paramref name="recipient"/>, once there are <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesToAsync(string recipient, int count)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Mail.MessagesTo(recipient).Count >= count), TimeSpan.FromSeconds(30)),
            $"{count} message(s) to {recipient}");
        var messages = Mail.MessagesTo(recipient);
        Assert.Equal(count, messages.Count);
        return messages;
    }
}

[CollectionDefinition(Name)]
public sealed class MarketingCollection : ICollectionFixture<MarketingHostFixture>
{
    public const string Name = "Marketing mail";
}
