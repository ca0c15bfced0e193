using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Mail;

/// <summary>
/// /api/admin/mail/messages: the mail the store sent, is sending and gave up on, with the relay's
/// reply (customers:read, as the customer's communications are); a failed message can be queued
/// again once its cause is fixed (customers:write, audited); a message's HTML opens sanitized and
/// sandboxed, each view audited (<see cref="SentMailHtml"/>).
/// </summary>
public static class SentMailAdminApi
{
    public const string ReadPermission = "customers:read";
    public const string RetryPermission = "customers:write";

    public static RouteGroupBuilder MapSentMailAdminApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/admin/mail/messages").WithTags("Back office: mail").RequireAuthorization();
        messages.MapGet("/", ListAsync)
            .RequirePermission(ReadPermission).WithName("ListMailMessages")
            .WithSummary("Messages newest first, with status, attempts, last error and SMTP reply, and the count per status.");
        messages.MapGet("/{id:long}", GetAsync)
            .RequirePermission(ReadPermission).WithName("GetMailMessage")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One message with its bodies as sent (account links left out); show the HTML in a sandboxed frame.");
        messages.MapGet("/{id:long}/html", HtmlAsync)
            .RequirePermission(ReadPermission).WithName("GetMailMessageHtml")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The message's HTML as sent, sanitized and served sandboxed for a frame of the back office; each view is audited.");
        messages.MapPost("/{id:long}/retry", RetryAsync)
            .RequirePermission(RetryPermission).WithName("RetryMailMessage")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Queues a failed message again, its attempts starting over.");
        return messages;
    }

    private static async Task<Results<Ok<MailMessagePage>, ValidationProblem>> ListAsync(
        SentMailQuery query, CancellationToken cancellationToken,
        [OneOf("pending", "sending", "sent", "failed", Optional = true)] string? status = null,
        [StringLength(255, ErrorMessage = "At most {1} characters.")] string? recipient = null,
        [Range(1, 100_000, ErrorMessage = "Pages start at 1.")] int page = 1,
        [Range(1, 200, ErrorMessage = "Between 1 and {2}.")] int pageSize = 50) =>
        TypedResults.Ok(await query.ListAsync(status, recipient, page, pageSize, cancellationToken));

    private static async Task<Results<Ok<MailMessageDetail>, ProblemHttpResult>> GetAsync(long id, SentMailQuery query, CancellationToken cancellationToken) =>
        await query.GetAsync(id, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No message {id}.");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> HtmlAsync(long id, SentMailQuery query, HttpContext http)
    {
        if (await query.ViewHtmlAsync(id, AuditActors.From(http), http.RequestAborted) is not { } sent)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No message {id}.");
        }

        if (sent.HtmlBody is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No HTML",
                detail: sent.Channel == "email" ? $"Message {id} has not been sent yet." : $"Message {id} is a text ({sent.Channel}); its body is in the message's textBody.");
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = SentMailHtml.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(SentMailHtml.Sanitize(sent.HtmlBody), "text/html; charset=utf-8");
    }

    private static async Task<Results<Ok<MailMessageRow>, ProblemHttpResult>> RetryAsync(long id, SentMailQuery query, HttpContext http) =>
        await query.RetryFailedAsync(id, AuditActors.From(http), http.RequestAborted) is { } row
            ? TypedResults.Ok(row)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No failed message {id}.");
}
