using System.Net;
using System.Text;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// Values PostgreSQL cannot store (a NUL in text or JSON, a date in year 1 or before 1900) answer
/// 400 with problem details on every endpoint and write nothing: one rule at the edge (JSON
/// converters and one endpoint filter), not a check per field.
/// </summary>
public sealed class StorableInputTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
{
    private const string Product = "hario-v60-ceramica-02";

    private const string CountWrites =
        """
        select (select count(*) from users) + (select count(*) from customers) + (select count(*) from coupons)
             + (select count(*) from product_reviews) + (select count(*) from audit_logs)
             + (select count(*) from orleansstorage) + (select count(*) from shopping_cart)
        """;

    private readonly ApiTestHost _host = fixture.Host;

    public static TheoryData<string, string, string, string?> BadRequests => new()
    {
        // role, method, path, body (JSON text: \u0000 is the JSON escape of NUL)
        { "anonymous", "POST", "/api/auth/register", $$"""{"email": "{{NewEmail()}}", "password": "{{Password}}", "firstName": "Ma\u0000ria"}""" },
        { "anonymous", "POST", "/api/auth/register", $$"""{"email": "nul\u0000{{NewEmail()}}", "password": "{{Password}}", "firstName": "Maria"}""" },
        { "customer", "POST", "/api/cart/items", """{"sku": "CHEMEX-6\u0000", "quantity": 1}""" },
        { "anonymous", "GET", "/api/catalog/products?q=caf%00e", null },
        { "admin", "POST", "/api/admin/coupons", """{"code": "NUL10", "type": "percentage", "value": 10, "description": "dez\u0000por cento"}""" },
        { "admin", "POST", "/api/admin/coupons", """{"code": "ANO1", "type": "percentage", "value": 10, "startsAt": "0001-01-01T00:00:00Z"}""" },
        { "admin", "POST", "/api/admin/coupons", """{"code": "FIM9", "type": "percentage", "value": 10, "expiresAt": "0001-01-01T00:00:00+00:00"}""" },
        { "buyer", "POST", $"/api/catalog/products/{Product}/reviews", """{"rating": 5, "title": "Bom\u0000", "content": "Moagem uniforme."}""" },
        { "admin", "GET", "/api/admin/reports/sales?from=0001-01-01&to=0001-01-31", null },
        { "admin", "GET", "/api/admin/orders?from=0001-01-01T00:00:00Z", null },
        { "admin", "GET", "/api/admin/reports/sales?from=2026-03-01&to=2026-03-02&tz=America/Sao_Paulo%00", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Nul_characters_and_year_one_dates_are_a_400_that_writes_nothing(string role, string method, string path, string? body)
    {
        using var client = await ClientAsync(role);
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        switch (role)
        {
            case "anonymous":
                return _host.CreateClient();
            case "buyer":
                var buyer = await _host.CreateSignedInClientAsync("customer");
                await _host.Database.RecordPurchaseAsync(buyer.UserId, Product);
                return buyer.Http;
            default:
                return (await _host.CreateSignedInClientAsync(role)).Http;
        }
    }
}
