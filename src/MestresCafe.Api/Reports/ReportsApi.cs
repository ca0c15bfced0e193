using MestresCafe.Api.Security;
using MestresCafe.Data.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Reports;

/// <summary>
/// Back office reports: GET /api/admin/reports lists them, GET /api/admin/reports/{name} runs one
/// (from, to, tz, groupBy, limit; JSON, or CSV with ?format=csv). Read-only, own data source.
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        // The reader is created here rather than in AddMestresApi so the feature stays in one file;
        // it lives as long as the application.
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var reader = ReportingDataSource.Create(services.GetRequiredService<IConfiguration>());
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => reader.DisposeAsync().AsTask().GetAwaiter().GetResult());

        var reports = api.MapGroup("/admin/reports").WithTags("Back office: reports").RequirePermission("reports:read");
        reports.MapGet("/", () => TypedResults.Ok(ReportCatalog.All.Select(r => new ReportInfo(r.Name, r.Summary, r.UsesRange))))
            .WithName("AdminListReports").WithSummary("The available reports.");
        reports.MapGet("/{name}", (string name, [AsParameters] ReportRequest request, HttpContext http, CancellationToken cancellationToken) =>
                RunAsync(name, request, http, reader, cancellationToken))
            .WithName("AdminRunReport")
            .WithSummary("Runs a report over [from, to) (yyyy-MM-dd, wall time in tz, default America/Sao_Paulo; default the last 30 days). groupBy: day, week or month; limit: 1-1000; format=csv for CSV.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<ReportResponse>, FileContentHttpResult, ProblemHttpResult, ValidationProblem>> RunAsync(
        string name, ReportRequest request, HttpContext http, ReportingDataSource reader, CancellationToken cancellationToken)
    {
        if (ReportCatalog.Find(name) is not { } report)
        {
            return TypedResults.Problem($"No report named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Report not found");
        }

        var query = request.ToQuery();
        var table = await reader.RunAsync(report, query, cancellationToken);
        if (string.Equals(http.Request.Query["format"], "csv", StringComparison.OrdinalIgnoreCase))
        {
            var fileName = $"{report.Name}_{query.Range.From:yyyy-MM-dd}_{query.Range.To:yyyy-MM-dd}.csv";
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ReportCsv.Write(table)), "text/csv; charset=utf-8", fileName);
        }

        return TypedResults.Ok(new ReportResponse(report.Name, query.Range.From, query.Range.To, query.Range.TimeZone,
            query.GroupBy, table.Columns, table.AsObjects().ToList()));
    }
}

public sealed record ReportInfo(string Name, string Summary, bool UsesRange);

public sealed record ReportResponse(
    string Report, DateTime From, DateTime To, string TimeZone, string GroupBy, IReadOnlyList<string> Columns, IReadOnlyList<Dictionary<string, object?>> Rows);
