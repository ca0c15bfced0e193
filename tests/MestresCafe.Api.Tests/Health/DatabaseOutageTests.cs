using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Health;

/// <summary>
/// A server whose PostgreSQL goes away answers 503 with Retry-After and problem details on every
/// kind of call (a read the API makes itself, a grain write, a grain activation), never a 500 or a
/// serialization failure, and serves again once PostgreSQL is back.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private PostgresServerProcess _postgres = null!;
    private TestDatabase _database = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServerProcess.StartAsync();
        _database = await TestDatabase.CreateMigratedAsync(nameof(DatabaseOutageTests), _postgres.ServerConnectionString);
        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
        var cluster = "outage-" + Guid.NewGuid().ToString("N")[..8];
        _server = await ServerProcess.StartAsync(_database.ConnectionString, cluster, settings: new Dictionary<string, string>
        {
            ["Redis__KeyPrefix"] = $"test:{cluster}:",
            ["Database__MigrateOnStartup"] = "false",
            // Every catalog read goes to PostgreSQL, as an uncached one does.
            ["Catalog__Caching"] = "false",
            ["RateLimits__Enabled"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task While_postgres_is_down_calls_answer_503_with_retry_after_and_recover_when_it_is_back()
    {
        using var customer = await CatalogTestData.SignInAsync(_database, _server.BaseAddress, "customer");
        await _database.ExecuteAsync("insert into customers (user_id) select id from users where email like 'customer.%'");
        const string sku = "OUTAGE-ITEM";
        await _database.InsertItemAsync(sku, stock: 100);
        using (var warm = await customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 }))
        {
            Assert.True(warm.IsSuccessStatusCode, await warm.Content.ReadAsStringAsync());
        }

        await _postgres.CrashAsync();

        using (var read = await customer.GetAsync("/api/catalog/products?q=cafe&pageSize=5"))
        {
            await AssertUnavailableAsync(read);
        }

        using (var write = await customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 }))
        {
            await AssertUnavailableAsync(write);
        }

        using (var checkout = await CheckoutAsync(customer, "outage-" + Guid.NewGuid().ToString("N")))
        {
            await AssertUnavailableAsync(checkout);
        }

        Assert.DoesNotContain("could not be serialized", _server.Output, StringComparison.OrdinalIgnoreCase);
        await _postgres.StartAgainAsync();

        // The connection pool and the failed grains recover by themselves: a bounded wait, no restart.
        Assert.True(await EventuallyOkAsync(() => customer.GetAsync("/api/catalog/products?q=cafe&pageSize=5")), "the catalog did not recover");
        Assert.True(await EventuallyOkAsync(() => customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 })), "the cart did not recover");
        var key = "outage-after-" + Guid.NewGuid().ToString("N");
        Assert.True(await EventuallyOkAsync(() => CheckoutAsync(customer, key)), "checkout did not recover");
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static Task<bool> EventuallyOkAsync(Func<Task<HttpResponseMessage>> call) =>
        Eventually.TrueAsync(async () =>
        {
            using var response = await call();
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            // Only "retry later" is acceptable on the way back.
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return false;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new
                {
                    recipientName = "Cliente Teste", street = "Avenida Paulista", number = "1000", district = "Bela Vista",
                    city = "São Paulo", state = "SP", postalCode = "01310-100",
                },
                paymentMethod = "pix",
                shippingMethod = "pac",
            }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }
}
