using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Security;
using MestresCafe.Content;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Content;

/// <summary>What anyone holding a certificate's code may check: who completed which course, when.</summary>
public sealed record CertificateCheck(string VerificationCode, string StudentName, string CourseTitle, DateTimeOffset CompletedAt, DateTimeOffset IssuedAt);

/// <summary>
/// Completion certificates: the learner downloads theirs as a PDF; anyone checks a code at
/// <c>/api/content/certificates/{code}</c>, the address printed on the certificate.
/// </summary>
public static class CertificatesApi
{
    public static RouteGroupBuilder MapCertificatesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/content/certificates/{code}", CheckAsync)
            .WithTags("Courses")
            .WithName("VerifyCertificate")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Checks a certificate's verification code: who completed which course, and when.");
        api.MapGet("/me/courses/{slug}/certificate", PdfAsync)
            .RequireAuthorization()
            .WithTags("Courses")
            .WithName("DownloadMyCertificate")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("My completion certificate for the course, as a PDF.");
        return api;
    }

    private static async Task<Results<Ok<CertificateCheck>, ProblemHttpResult>> CheckAsync(string code, CourseStore store, CancellationToken cancellationToken)
    {
        var normalized = code.Trim().ToUpperInvariant();
        var certificate = CourseProgress.IsVerificationCode(normalized) ? await store.CertificateAsync(normalized, cancellationToken) : null;
        return certificate is null
            ? Problems.NotFound("No certificate has this code.")
            : TypedResults.Ok(new CertificateCheck(certificate.VerificationCode, certificate.StudentName, certificate.CourseTitle, certificate.CompletedAt, certificate.IssuedAt));
    }

    private static async Task<IResult> PdfAsync(
        string slug, HttpContext http, CourseStore store, IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        var certificate = CatalogValidation.IsSlug(slug) ? await store.MyCertificateAsync(http.User.GetUserId(), slug, cancellationToken) : null;
        if (certificate is null)
        {
            return Problems.NotFound("You have no certificate for this course.");
        }

        if (!CertificatePdf.CanRender)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Certificates unavailable",
                detail: "This server has no TrueType fonts to print certificates (install fonts-liberation).");
        }

        var verifyUrl = options.Value.PublicBaseUrl.TrimEnd('/') + "/api/content/certificates/" + certificate.VerificationCode;
        var pdf = CertificatePdf.Render(certificate, verifyUrl, options.Value.SiteTitle);
        return TypedResults.File(pdf, "application/pdf", $"certificado-{slug}.pdf");
    }
}
