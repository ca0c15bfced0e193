using MestresCafe.Api.Payments;
using MestresCafe.Api.Security;
using MestresCafe.Data.Marketing;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// Spam complaints from mailbox providers' feedback loops: the ARF report (RFC 5965) as the body,
/// signed with <c>Marketing:ComplaintWebhookSecret</c> in the payment webhook's scheme (HMAC-SHA256
/// over timestamp and body, five minutes' tolerance) by the relay or adapter that receives the
/// provider's reports; off (404) while no secret is configured. Each report is recorded once
/// (<see cref="MailComplaintStore"/>): a redelivery answers "duplicate" and changes nothing.
/// </summary>
public static class MailComplaintWebhookApi
{
    public const string Route = "/notifications/webhooks/mail-complaints";

    public static void MapMailComplaintWebhookApi(this RouteGroupBuilder api)
    {
        api.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .WithMetadata(new OpenApi.SignedWebhookMetadata(WebhookSignature.Header))
            .WithTags("Notifications")
            .WithName("MailComplaintWebhook")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Spam complaints (ARF feedback reports, RFC 5965) about our e-mails, signed with HMAC-SHA256: the address stops getting marketing.");
    }

    private static async Task<Results<Ok<MailComplaintAck>, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, MailComplaintStore complaints, IOptions<MarketingOptions> options, TimeProvider clock)
    {
        if (options.Value.ComplaintWebhookSecret is not { Length: > 0 } secret)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Complaint reports are not enabled on this server.");
        }

        // A report carrying the whole original message can pass the limit: its headers alone (text/rfc822-headers) are enough.
        var (body, refused) = await PaymentWebhookApi.ReadSignedAsync(http.Request, secret, clock, "complaint report", "the feedback loop's relay");
        if (refused is not null)
        {
            return refused;
        }

        var parsed = FeedbackReportParser.Parse(body);
        if (parsed.Complaint is not { } complaint)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed report", detail: parsed.Error);
        }

        var outcome = parsed.IsComplaint
            ? await complaints.RecordAsync(complaint, AuditActors.From(http), CancellationToken.None)
            : MailComplaintOutcome.Ignored;
        return TypedResults.Ok(new MailComplaintAck(complaint.FeedbackId, outcome));
    }
}

public sealed record MailComplaintAck(string FeedbackId, MailComplaintOutcome Outcome);
