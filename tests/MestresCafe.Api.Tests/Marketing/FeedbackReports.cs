namespace MestresCafe.Api.Tests.Marketing;

/// <summary>Feedback reports (ARF, RFC 5965) as a mailbox provider's feedback loop sends them.</summary>
public static class FeedbackReports
{
    /// <summary>
    /// A report with its own <paramref name="reportId"/> about the message <paramref name="originalMessageId"/>
    /// sent to <paramref name="recipient"/>, carrying the original's headers only (text/rfc822-headers).
    /// </summary>
    public static string About(string reportId, string? originalMessageId, string? recipient, string feedbackType = "abuse") =>
        string.Join("\r\n",
            "From: <fbl@provedor.example>",
            "To: <abuse@mestres.cafe>",
            "Subject: FW: Novidades da torra",
            $"Message-ID: <{reportId}>",
            "Date: Thu, 03 Dec 2026 04:00:00 +0000",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"",
            "",
            "--arf",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "This is an e-mail abuse report for a message received from a sender of yours.",
            "",
            "--arf",
            "Content-Type: message/feedback-report",
            "",
            $"Feedback-Type: {feedbackType}",
            "User-Agent: ProvedorFBL/2.1",
            "Version: 1",
            recipient is null ? "Original-Mail-From: <noreply@mestres.cafe>" : $"Original-Rcpt-To: rfc822;{recipient}",
            "Arrival-Date: Thu, 03 Dec 2026 03:58:12 +0000",
            "",
            "--arf",
            "Content-Type: text/rfc822-headers",
            "",
            "From: Mestres Cafe <noreply@mestres.cafe>",
            originalMessageId is null ? "X-Mailer: none" : $"Message-ID: <{originalMessageId}>",
            "Subject: Novidades da torra",
            "",
            "--arf--",
            "");
}
