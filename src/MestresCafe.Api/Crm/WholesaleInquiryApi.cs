using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Data.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MestresCafe.Api.Customers;

namespace MestresCafe.Api.Crm;

/// <summary>The public wholesale form: a café, restaurant or office asking to buy in volume.</summary>
public sealed record WholesaleInquiry(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Name,
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Company,
    [Required(ErrorMessage = "Required."), EmailAddress(ErrorMessage = "An e-mail address."), TrimmedLength(254)] string? Email,
    [TrimmedLength(20)] string? Phone,
    [TrimmedLength(4000)] string? Message,
    // The honeypot: the form hides this field from people, and a bot fills in every field it sees.
    [TrimmedLength(500)] string? Website);

/// <summary>POST /api/wholesale-inquiries: anonymous, limited per IP, a lead for the sales team.</summary>
public static class WholesaleInquiryApi
{
    public static RouteGroupBuilder MapWholesaleInquiryApi(this RouteGroupBuilder api)
    {
        api.MapPost("/wholesale-inquiries", SubmitAsync)
            .WithTags("CRM")
            .AllowAnonymous()
            .WithRequestSizeLimit(8 * 1024)
            .WithName("SubmitWholesaleInquiry")
            .WithSummary("The public wholesale form: records a lead (source website) for the sales team; limited per IP.")
            .WithJsonExamples(CrmExamples.WholesaleInquiry)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        WholesaleInquiry body, LeadStore leads, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = await rateLimits.CheckAsync(RateLimitPolicies.WholesaleInquiry, http, null);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many inquiries from this address; try again later.");
        }

        // A filled honeypot gets the same answer as a person, so a bot learns nothing, and nothing is stored.
        if (string.IsNullOrWhiteSpace(body.Website))
        {
            var name = body.Name!.Trim();
            var space = name.IndexOf(' ', StringComparison.Ordinal);
            await leads.CreateAsync(new LeadFields(
                space < 0 ? name : name[..space], space < 0 ? null : name[(space + 1)..].Trim(),
                body.Email!.Trim().ToLowerInvariant(), LeadInput.Clean(body.Phone), body.Company!.Trim(), "website", null,
                LeadInput.Clean(body.Message), null), AuditActors.From(http), cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }
}
