using System.Net;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// Every endpoint has a body limit (64 KB unless its feature says otherwise), enforced by the web
/// server itself, so it needs a real server process: the in-process test server enforces none.
/// </summary>
public sealed class RequestSizeLimitTests(RequestSizeLimitTests.Server fixture) : IClassFixture<RequestSizeLimitTests.Server>
{
    private const string CountWrites =
        """
        select (select count(*) from coupons) + (select count(*) from product_reviews) + (select count(*) from audit_logs)
             + (select count(*) from orleansstorage) + (select count(*) from products)
        """;

    /// <summary>One real server process with the demo data for the whole class: no test leaves a write behind.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public TestDatabase Database { get; private set; } = null!;
        public ServerProcess Process { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Database = await TestDatabase.CreateMigratedAsync(nameof(RequestSizeLimitTests));
            await Database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
            var cluster = "limits-" + Guid.NewGuid().ToString("N")[..8];
            Process = await ServerProcess.StartAsync(Database.ConnectionString, cluster, settings: new Dictionary<string, string>
            {
                ["Redis__KeyPrefix"] = $"test:{cluster}:",
                ["Database__MigrateOnStartup"] = "false",
                ["RateLimits__Enabled"] = "false",
            });
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("customer", "POST", "/api/cart/items")]
    [InlineData("customer", "POST", "/api/checkout")]
    [InlineData("customer", "POST", "/api/catalog/products/hario-v60-ceramica-02/reviews")]
    [InlineData("customer", "POST", "/api/wishlist")]
    [InlineData("admin", "POST", "/api/admin/coupons")]
    [InlineData("admin", "PUT", "/api/admin/coupons/MESTRES25")]
    [InlineData("admin", "POST", "/api/admin/catalog/categories")]
    public async Task A_body_over_64_kb_is_413_with_problem_details_and_writes_nothing(string role, string method, string path)
    {
        using var http = await ClientAsync(role);
        var before = await fixture.Database.ScalarAsync<long>(CountWrites);

        using var response = await SendAsync(http, method, path, Body(100 * 1024));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>(CountWrites));
    }

    [Fact]
    public async Task A_product_body_may_be_larger_than_the_default()
    {
        using var admin = await ClientAsync("admin");

        // 100 KB passes the products' own limit and reaches the field rules (description: 20,000 characters at most).
        using var response = await SendAsync(admin, "POST", "/api/admin/catalog/products", Body(100 * 1024));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("description", out _), problem.ToString());
    }

    private static string Body(int bytes) =>
        JsonSerializer.Serialize(new { name = "Grande", slug = "grande", sku = "GRANDE-1", price = 10, type = "percentage", value = 10, rating = 5, quantity = 1, description = new string('a', bytes) });

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "limits-" + Guid.NewGuid().ToString("N"));
        return http.SendAsync(request);
    }

    private async Task<HttpClient> ClientAsync(string role) =>
        role == "anonymous" ? new HttpClient { BaseAddress = fixture.Process.BaseAddress } : await CatalogTestData.SignInAsync(fixture.Database, fixture.Process.BaseAddress, role);
}
