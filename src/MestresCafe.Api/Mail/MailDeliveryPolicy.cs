using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MestresCafe.Api.Mail;

/// <summary>What a sender does with a message whose attempt failed.</summary>
public enum MailFailure
{
    /// <summary>The server or the network may accept it later (4xx reply, refused connection, timeout, TLS or login trouble): try again.</summary>
    Passing,
    /// <summary>It will never be accepted as it is (5xx reply to the recipient or the message, a template that does not render): give up now.</summary>
    Permanent,
}

/// <summary>
/// Retry rules of the mail sender: exponential backoff with jitter, and which failures are worth
/// another attempt. Plain functions (the attempts and the next due time live in outbound_messages,
/// so the schedule survives a restart; an in-process retry library would forget it at the first crash).
/// </summary>
public static class MailDeliveryPolicy
{
    /// <summary>
    /// The wait before the next attempt after <paramref name="attempts"/> failed ones: the first
    /// delay doubled per further attempt, capped, then spread by ±20 % (<paramref name="jitter"/> in
    /// [0, 1)) so that messages that failed together do not all come back at the same instant.
    /// </summary>
    public static TimeSpan Backoff(int attempts, TimeSpan first, TimeSpan max, double jitter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var delay = Math.Min(first.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (0.4 * jitter)));
    }

    public static MailFailure Classify(Exception error) => error switch
    {
        SmtpCommandException command => (int)command.StatusCode >= 500 && !IsAuthentication(command) ? MailFailure.Permanent : MailFailure.Passing,
        // A template that does not render, or a recipient address that is not one.
        MailTemplateException or MimeKit.ParseException => MailFailure.Permanent,
        // Connection, protocol, TLS and login failures concern the relay or its settings, not the
        // message: an operator fixes them and everything queued goes out.
        SocketException or IOException or TimeoutException or OperationCanceledException
            or SmtpProtocolException or ServiceNotConnectedException or AuthenticationException or SslHandshakeException => MailFailure.Passing,
        _ => MailFailure.Passing,
    };

    /// <summary>The server's reply as kept with the message, when the failure carries one.</summary>
    public static string? Reply(Exception error) =>
        error is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : null;

    private static bool IsAuthentication(SmtpCommandException command) =>
        command.StatusCode is SmtpStatusCode.AuthenticationInvalidCredentials or SmtpStatusCode.AuthenticationRequired
            or SmtpStatusCode.AuthenticationMechanismTooWeak;
}
