using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Server.DemoData;
using MestresCafe.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>
/// One in-process server (silo + API) over a database of its own, with the demo store seeded (unless
/// <see cref="WithoutDemoData"/>) and a Redis key prefix of its own, for the API tests of one class. Use as an <c>IClassFixture</c> or
/// create one per test where a test needs a fresh store.
/// </summary>
public sealed class ApiTestHost : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _extraSettings = [];
    private WebApplicationFactory<Program> _factory = null!;
    private bool _demoData = true;

    public TestDatabase Database { get; private set; } = null!;
    public string ClusterId { get; } = "api-" + Guid.NewGuid().ToString("N")[..10];
    public string RedisKeyPrefix { get; } = "test:" + Guid.NewGuid().ToString("N")[..10] + ":";
    public IServiceProvider Services => _factory.Services;

    /// <summary>Extra configuration (e.g. a shorter reservation expiry) applied before the host starts.</summary>
    public ApiTestHost With(string key, string? value)
    {
        _extraSettings[key] = value;
        return this;
    }

    /// <summary>A store as a real deployment starts: the migrations only (their roles and permissions), no demo data or accounts.</summary>
    public ApiTestHost WithoutDemoData()
    {
        _demoData = false;
        return this;
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateMigratedAsync(GetType().Name);
        var credentials = Path.Combine(Path.GetTempPath(), $"mc-demo-{ClusterId}.txt");
        // The silo's ports are picked before the start (Orleans cannot listen on port 0): a start
        // that finds one taken is retried with new ports.
        _factory = await FreePort.StartAsync(() => StartHostAsync(credentials));
        if (_demoData)
        {
            await _factory.Services.GetRequiredService<DemoSeeder>().SeedAsync();
        }
    }

    private async Task<WebApplicationFactory<Program>> StartHostAsync(string credentials)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
            web.UseSetting("ConnectionStrings:Redis", TestEnvironment.Redis);
            web.UseSetting("Redis:KeyPrefix", RedisKeyPrefix);
            web.UseSetting("Orleans:ClusterId", ClusterId);
            web.UseSetting("Orleans:ServiceId", ClusterId);
            web.UseSetting("Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Database:MigrateOnStartup", "false");
            web.UseSetting("Demo:Seed", "false");
            web.UseSetting("Demo:CredentialsFile", credentials);
            // A key ring of this host's own for saved cards, so that no test reads another's keys.
            web.UseSetting("Payments:SavedCards:KeyRingPath", Path.Combine(Path.GetTempPath(), "mc-card-keys-" + ClusterId));
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in TestEnvironment.ServerSecrets)
            {
                web.UseSetting(key, value);
            }

            foreach (var (key, value) in _extraSettings)
            {
                web.UseSetting(key, value);
            }
        });

        try
        {
            // Starting the host starts the silo.
            _ = factory.Server;
            return factory;
        }
        catch
        {
            await DisposeQuietlyAsync(factory);
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(WebApplicationFactory<Program> factory)
    {
        try
        {
            await factory.DisposeAsync();
        }
        catch (Exception)
        {
            // A host that failed to start may fail to stop too; the start's own error is the one to report.
        }
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>An anonymous client.</summary>
    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>
    /// A client signed in as a new user holding <paramref name="role"/> (admin, manager, support or
    /// customer; customers also get a CRM customer row), through the real login endpoint.
    /// </summary>
    public async Task<SignedInClient> CreateSignedInClientAsync(string role = "customer")
    {
        var email = $"{role}.{Guid.NewGuid():N}@example.com.br";
        const string password = "Senha-de-teste-123";
        var userId = await Database.ScalarAsync<long>(
            "insert into users (email, password_hash, first_name, last_name, is_admin) values ($1, $2, 'Teste', $3, $4) returning id",
            email, PasswordHasher.Hash(password), role, role == "admin");
        await Database.ScalarAsync<int>(
            "insert into user_roles (user_id, role_id) select $1, id from roles where name = $2 returning 1", userId, role);
        long? customerId = role == "customer"
            ? await Database.ScalarAsync<long>("insert into customers (user_id) values ($1) returning id", userId)
            : null;

        var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var tokens = (await response.Content.ReadFromJsonAsync<LoginTokens>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return new SignedInClient(client, userId, customerId, email, password, tokens.AccessToken, tokens.RefreshToken);
    }

    private sealed record LoginTokens(string AccessToken, string RefreshToken);
}

public sealed record SignedInClient(
    HttpClient Http, long UserId, long? CustomerId, string Email, string Password, string AccessToken, string RefreshToken) : IDisposable
{
    public void Dispose() => Http.Dispose();
}
