using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MestresCafe.Browser.Tests.Infrastructure;
using MestresCafe.Testing;
using Microsoft.Playwright;

namespace MestresCafe.Browser.Tests.Dashboard;

/// <summary>
/// The back-office dashboard (/admin/) in headless Chromium against a real server: a manager signs
/// in and sees every report drawn from the demo data, a new range reloads them all, and a customer
/// is told they are not allowed.
/// </summary>
public sealed partial class DashboardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private const string SessionKey = "mestrescafe.dashboard.session";

    // The labels and the first series' values of every chart on the page.
    private const string ReadCharts = """
        () => Object.fromEntries([...document.querySelectorAll('canvas')].map(canvas => {
            const chart = Chart.getChart(canvas);
            return [canvas.id, chart ? { labels: chart.data.labels, data: chart.data.datasets[0].data } : null];
        }))
        """;

    private const string NoChart = "() => [...document.querySelectorAll('canvas')].every(canvas => !Chart.getChart(canvas))";

    [Fact]
    public async Task The_page_and_the_chart_library_are_served_to_anyone()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        // A stale token must not stand between a browser and the sign-in page.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "expired-or-forged");

        using var page = await http.GetAsync("/admin/");
        using var chartJs = await http.GetAsync("/lib/chart.umd.min.js");
        using var script = await http.GetAsync("/admin/dashboard.js");
        using var bare = await http.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"login-form\"", await page.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, chartJs.StatusCode);
        Assert.StartsWith("/*!\n * Chart.js v4.", await chartJs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/admin/", bare.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_manager_sees_every_report_and_a_new_range_reloads_them_all()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);

        await SignInAsync(page, DashboardHost.Manager);
        await page.WaitForSelectorAsync("body[data-state=ready]");

        var charts = await ReadChartsAsync(page);
        var sales = charts.GetProperty("sales-chart");
        Assert.Equal(30, sales.GetProperty("data").GetArrayLength()); // the last 30 days, one bar each
        Assert.True(Sum(sales) > 0, "the demo history has sales in the last 30 days");
        Assert.InRange(charts.GetProperty("top-products-chart").GetProperty("data").GetArrayLength(), 1, 10);
        Assert.Contains(DashboardHost.LowStockSku, Labels(charts.GetProperty("stock-alerts-chart")));
        // The generated history brings coupon uses and loyalty members of its own; the two orders
        // placed through the API bring these coupons and an Ouro member.
        var coupons = Labels(charts.GetProperty("coupons-chart"));
        Assert.Contains("FRETEGRATIS", coupons);
        Assert.Contains("MESTRES25", coupons);
        var tiers = charts.GetProperty("loyalty-tiers-chart");
        Assert.Contains("Ouro", Labels(tiers));
        var members = await host.Database.ScalarAsync<long>("select count(*) from customer_loyalty");
        Assert.Equal(members, Sum(tiers));
        Assert.True(charts.GetProperty("loyalty-points-chart").GetProperty("data")[0].GetDecimal() > 0, "points earned");
        Assert.Matches(BrlAmount(), await page.TextContentAsync("#kpi-net"));
        Assert.False(await page.IsVisibleAsync("#health-view")); // the operators' view needs audit:read
        Assert.NotNull(await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{SessionKey}')"));

        // An old range: every report is asked again for it, and the series empty out.
        var request = await page.RunAndWaitForRequestAsync(async () =>
        {
            await page.FillAsync("#from", "2025-01-01");
            await page.FillAsync("#to", "2025-01-31");
        }, r => r.Url.Contains("/api/admin/reports/sales?") && r.Url.Contains("from=2025-01-01") && r.Url.Contains("to=2025-02-01"));
        Assert.Equal("Bearer", request.Headers["authorization"].Split(' ')[0]);
        await page.WaitForSelectorAsync("body[data-state=ready][data-range='2025-01-01/2025-01-31/day']");

        charts = await ReadChartsAsync(page);
        sales = charts.GetProperty("sales-chart");
        Assert.Equal(31, sales.GetProperty("data").GetArrayLength());
        Assert.Equal(0, Sum(sales));
        Assert.Equal(0, charts.GetProperty("top-products-chart").GetProperty("data").GetArrayLength());
        Assert.Equal(0, charts.GetProperty("coupons-chart").GetProperty("data").GetArrayLength());
        Assert.Equal(0, Sum(charts.GetProperty("loyalty-points-chart")));
        // Stock and tiers are "now": a range does not change them.
        Assert.Contains(DashboardHost.LowStockSku, Labels(charts.GetProperty("stock-alerts-chart")));
        Assert.Equal(members, Sum(charts.GetProperty("loyalty-tiers-chart")));
        Assert.True(await page.IsVisibleAsync("text=Nenhuma venda no período."));

        // The grouping is a reload too: one bucket for the month.
        await page.RunAndWaitForRequestAsync(() => page.SelectOptionAsync("#group-by", "month"),
            r => r.Url.Contains("/api/admin/reports/sales?") && r.Url.Contains("groupBy=month"));
        await page.WaitForSelectorAsync("body[data-state=ready][data-range='2025-01-01/2025-01-31/month']");
        Assert.Equal(1, (await ReadChartsAsync(page)).GetProperty("sales-chart").GetProperty("data").GetArrayLength());

        // Signing out leaves neither the token nor a chart behind.
        await page.ClickAsync("#logout");
        await page.WaitForSelectorAsync("body[data-state=login]");
        Assert.Null(await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{SessionKey}')"));
        Assert.True(await page.EvaluateAsync<bool>(NoChart));

        Assert.Empty(problems); // no script error, no Content-Security-Policy violation
    }

    [Fact]
    public async Task An_administrator_sees_each_servers_health_beside_the_reports()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);
        // The server writes its first snapshot as it starts (every minute after): wait for it, not a guess.
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from system_health where service_name in ('postgres', 'redis') and status = 'healthy'") >= 2));

        await SignInAsync(page, DashboardHost.Administrator);
        await page.WaitForSelectorAsync("body[data-state=ready]");

        Assert.True(await page.IsVisibleAsync("#health-view"));
        var rows = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[data-table-for=system-health] tbody tr')].map(tr => tr.cells[1].textContent + ':' + tr.cells[2].textContent)");
        Assert.Contains("postgres:saudável", rows);
        Assert.Contains("redis:saudável", rows);
        Assert.NotEmpty(await page.TextContentAsync("#health-overall") ?? "");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_customer_is_told_they_are_not_allowed_and_sees_no_data()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();

        var forbidden = await page.RunAndWaitForResponseAsync(() => SignInAsync(page, DashboardHost.Customer),
            r => r.Url.Contains("/api/admin/reports/"));
        await page.WaitForSelectorAsync("body[data-state=forbidden]");

        Assert.Equal(403, forbidden.Status);
        Assert.Contains("não tem permissão", await page.TextContentAsync("#notice"));
        Assert.True(await page.IsVisibleAsync("#notice"));
        Assert.False(await page.IsVisibleAsync("#dashboard-view"));
        Assert.True(await page.EvaluateAsync<bool>(NoChart));
    }

    [Fact]
    public async Task A_session_the_server_no_longer_knows_goes_back_to_the_sign_in_form()
    {
        await using var context = await host.NewContextAsync();
        await context.AddInitScriptAsync(
            $"sessionStorage.setItem('{SessionKey}', JSON.stringify({{ accessToken: 'revoked', refreshToken: 'revoked' }}))");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/admin/");
        await page.WaitForSelectorAsync("body[data-state=login]");

        Assert.Contains("sessão expirou", await page.TextContentAsync("#notice"));
        Assert.True(await page.IsVisibleAsync("#login-form"));
        Assert.False(await page.IsVisibleAsync("#session"));
    }

    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/admin/");
        await page.WaitForSelectorAsync("body[data-state=login]");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", host.PasswordOf(email));
        await page.ClickAsync("#login-form button[type=submit]");
    }

    private static async Task<JsonElement> ReadChartsAsync(IPage page) => await page.EvaluateAsync<JsonElement>(ReadCharts);

    private static List<string> Labels(JsonElement chart) =>
        chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();

    private static decimal Sum(JsonElement chart) =>
        chart.GetProperty("data").EnumerateArray().Sum(v => v.GetDecimal());

    // pt-BR currency: "R$ 1.234,56" (with a no-break space).
    [GeneratedRegex(@"^R\$\s[\d.]+,\d{2}$")]
    private static partial Regex BrlAmount();
}
