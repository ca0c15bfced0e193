using System.Net.Sockets;
using MailKit.Net.Smtp;
using MestresCafe.Api.Mail;

namespace MestresCafe.Api.Tests.Mail;

public sealed class MailDeliveryPolicyTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(40, 3600)]
    public void Backoff_doubles_from_the_first_delay_up_to_the_cap(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), MailDeliveryPolicy.Backoff(attempts, First, Max, jitter: 0.5));

    [Fact]
    public void Jitter_spreads_the_delay_by_a_fifth_either_way()
    {
        Assert.Equal(TimeSpan.FromSeconds(48), MailDeliveryPolicy.Backoff(2, First, Max, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(71.88), MailDeliveryPolicy.Backoff(2, First, Max, jitter: 0.995));
    }

    [Theory]
    [InlineData(SmtpStatusCode.MailboxUnavailable, MailFailure.Permanent)]
    [InlineData(SmtpStatusCode.TransactionFailed, MailFailure.Permanent)]
    [InlineData(SmtpStatusCode.MailboxBusy, MailFailure.Passing)]
    [InlineData(SmtpStatusCode.InsufficientStorage, MailFailure.Passing)]
    // Wrong credentials are the relay's settings, not the message: fixed by an operator, then sent.
    [InlineData(SmtpStatusCode.AuthenticationInvalidCredentials, MailFailure.Passing)]
    public void A_reply_of_5xx_is_permanent_and_4xx_passing(SmtpStatusCode code, MailFailure expected) =>
        Assert.Equal(expected, MailDeliveryPolicy.Classify(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, code, "x")));

    [Fact]
    public void Network_failures_pass_and_templates_that_do_not_render_are_permanent()
    {
        Assert.Equal(MailFailure.Passing, MailDeliveryPolicy.Classify(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.Equal(MailFailure.Passing, MailDeliveryPolicy.Classify(new TimeoutException()));
        Assert.Equal(MailFailure.Permanent, MailDeliveryPolicy.Classify(new MailTemplateException("no template")));
    }

    [Fact]
    public void The_reply_kept_is_the_code_and_the_servers_text()
    {
        var refused = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "mailbox unavailable");
        Assert.Equal("550 mailbox unavailable", MailDeliveryPolicy.Reply(refused));
        Assert.Null(MailDeliveryPolicy.Reply(new TimeoutException()));
    }
}
