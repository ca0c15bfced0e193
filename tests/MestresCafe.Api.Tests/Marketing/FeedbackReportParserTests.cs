using MestresCafe.Api.Marketing;

namespace MestresCafe.Api.Tests.Marketing;

public sealed class FeedbackReportParserTests
{
    [Fact]
    public void An_abuse_report_names_our_message_the_recipient_and_its_own_id()
    {
        var messageId = Guid.NewGuid();
        var parsed = FeedbackReportParser.Parse(FeedbackReports.About("r1@provedor.example", $"{messageId:N}@mestres.cafe", "Ana@Example.com.br"));

        Assert.True(parsed.IsComplaint);
        var complaint = parsed.Complaint!;
        Assert.Equal(("r1@provedor.example", "abuse", messageId, "ana@example.com.br", "ProvedorFBL/2.1"),
            (complaint.FeedbackId, complaint.FeedbackType, complaint.MessageId, complaint.Recipient, complaint.ReportedBy));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 3, 58, 12, TimeSpan.Zero), complaint.ArrivedAt);
    }

    [Fact]
    public void A_message_id_not_of_ours_gives_no_message_and_a_not_spam_report_is_no_complaint()
    {
        var foreign = FeedbackReportParser.Parse(FeedbackReports.About("r2@provedor.example", "abc@outro.example", "ana@example.com.br"));
        Assert.Null(foreign.Complaint!.MessageId);

        var notSpam = FeedbackReportParser.Parse(FeedbackReports.About("r3@provedor.example", null, "ana@example.com.br", "not-spam"));
        Assert.False(notSpam.IsComplaint);
        Assert.Null(notSpam.Error);
    }

    [Theory]
    [InlineData("just text, no MIME at all")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--\r\n")]
    [InlineData("Message-ID: <r4@p>\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nno feedback part\r\n--x--\r\n")]
    public void Anything_but_a_feedback_report_is_refused(string body)
    {
        var parsed = FeedbackReportParser.Parse(body);
        Assert.Null(parsed.Complaint);
        Assert.NotNull(parsed.Error);
    }

    [Fact]
    public void A_report_naming_neither_message_nor_recipient_is_refused() =>
        Assert.NotNull(FeedbackReportParser.Parse(FeedbackReports.About("r5@provedor.example", null, null)).Error);
}
