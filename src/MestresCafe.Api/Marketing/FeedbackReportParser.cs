using System.Text;
using MestresCafe.Data.Marketing;
using MimeKit;
using MimeKit.Utils;

namespace MestresCafe.Api.Marketing;

/// <summary>A feedback report read: the complaint it states, or why it was refused.</summary>
public sealed record ParsedFeedbackReport(MailComplaint? Complaint, string? Error)
{
    /// <summary>A well-formed report of another kind than a complaint (not-spam, virus, ...): acknowledged, nothing done.</summary>
    public bool IsComplaint => Complaint?.FeedbackType == FeedbackReportParser.Abuse;
}

/// <summary>
/// Reads a mailbox provider's feedback report (ARF, RFC 5965): a message whose body is
/// multipart/report; report-type=feedback-report, with a message/feedback-report part (Feedback-Type,
/// Original-Rcpt-To, User-Agent, Arrival-Date) and the original message or its headers
/// (message/rfc822, text/rfc822-headers), whose Message-ID names our outbound message
/// (<c>{message id:N}@{our domain}</c>, see MailComposer).
/// </summary>
public static class FeedbackReportParser
{
    /// <summary>The feedback type of a spam complaint.</summary>
    public const string Abuse = "abuse";

    private const int MaxIdLength = 300;

    public static ParsedFeedbackReport Parse(string body)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        }
        catch (FormatException)
        {
            return Refused("The body is not a MIME message.");
        }

        if (message.Body is not MultipartReport report || !string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase))
        {
            return Refused("The body is not a multipart/report; report-type=feedback-report.");
        }

        if (report.OfType<MessageFeedbackReport>().FirstOrDefault()?.Fields is not { } fields
            || fields["Feedback-Type"]?.Trim().ToLowerInvariant() is not { Length: > 0 and <= 30 } feedbackType)
        {
            return Refused("The report has no message/feedback-report part with a Feedback-Type.");
        }

        var original = report.OfType<MessagePart>().FirstOrDefault()?.Message;
        var originalId = original?.MessageId;
        var recipient = Address(fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.SingleOrDefault()?.Address;
        var feedbackId = message.MessageId ?? originalId;
        if (feedbackId is not { Length: > 0 and <= MaxIdLength })
        {
            return Refused($"The report needs its own Message-ID or the original message's (at most {MaxIdLength} characters).");
        }

        if (originalId is null && recipient is null)
        {
            return Refused("The report names neither the original message (its Message-ID) nor its recipient (Original-Rcpt-To).");
        }

        DateTimeOffset? arrived = DateUtils.TryParse(fields["Arrival-Date"] ?? fields["Received-Date"] ?? "", out var date) ? date : null;
        return new ParsedFeedbackReport(
            new MailComplaint(feedbackId, feedbackType, OurMessageId(originalId), recipient, fields["User-Agent"]?.Trim(), arrived), null);
    }

    /// <summary>The message id in a Message-ID of ours (its local part); null for any other.</summary>
    public static Guid? OurMessageId(string? messageId) =>
        messageId?.Split('@', 2)[0] is { } local && Guid.TryParseExact(local, "N", out var id) ? id : null;

    /// <summary>Original-Rcpt-To is "rfc822;address" (RFC 3464's form) or a bare address.</summary>
    private static string? Address(string? field)
    {
        var value = field?.Trim();
        if (value?.IndexOf(';', StringComparison.Ordinal) is { } semicolon and >= 0)
        {
            value = value[(semicolon + 1)..].Trim();
        }

        return MailboxAddress.TryParse(value, out var address) && address.Address.Contains('@', StringComparison.Ordinal) && address.Address.Length <= 254
            ? address.Address.ToLowerInvariant()
            : null;
    }

    private static ParsedFeedbackReport Refused(string error) => new(null, error);
}
