using Microsoft.Net.Http.Headers;

namespace MestresCafe.Server.Dashboard;

/// <summary>
/// The back-office dashboard: static files from wwwroot (the page in admin/, Chart.js in lib/,
/// copied there from npm by the build). The page signs in through /api/auth and reads
/// /api/admin/reports with the bearer token, so the files themselves carry no data and need no
/// authorization.
/// </summary>
public static class DashboardHostingExtensions
{
    // Everything the page loads comes from this server: its script, its style sheet, Chart.js and
    // the API. Chart.js styles its canvases through the CSSOM, which style-src does not restrict.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly StaticFileOptions _staticFiles = new()
    {
        OnPrepareResponse = context =>
        {
            var headers = context.Context.Response.Headers;
            // Not fingerprinted: revalidate every time (the ETag makes that a 304).
            headers[HeaderNames.CacheControl] = "no-cache";
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
            {
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XFrameOptions] = "DENY";
            }
        },
    };

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // A published server has its own wwwroot. Run from the build output (scripts/run.sh, the
        // tests) it has none and finds the project's through the build's static web assets
        // manifest, as Development does by itself.
        var webRoot = Path.Combine(builder.Environment.ContentRootPath, "wwwroot");
        if (!builder.Environment.IsDevelopment() && !Directory.Exists(webRoot))
        {
            builder.WebHost.UseStaticWebAssets();
        }

        return builder;
    }

    /// <summary>
    /// Ahead of the API pipeline, so that authentication, rate limits and output caching never see
    /// a request for a file; and for wwwroot's folders only, so that API requests cost no file
    /// system look-up.
    /// </summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/admin") || context.Request.Path.StartsWithSegments("/lib"), files =>
        {
            // /admin and /admin/ serve admin/index.html (the first with a redirect to the second).
            files.UseDefaultFiles();
            files.UseStaticFiles(_staticFiles);
        });
        return app;
    }
}
