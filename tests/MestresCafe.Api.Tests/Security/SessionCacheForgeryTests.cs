using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// Redis is not an authority: someone who can write to it cannot grant a session roles. Cached
/// session entries carry an HMAC (Sessions:SigningKey) over the token hash and the content.
/// The server's own memory of sessions is off here, so that every request reads the Redis entry.
/// </summary>
public sealed class SessionCacheForgeryTests : IAsyncLifetime
{
    private readonly ApiTestHost _host = new ApiTestHost().With("Sessions:LocalCacheLifetime", "00:00:00");

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task An_entry_rewritten_in_redis_to_hold_admin_is_not_honoured()
    {
        using var customer = await _host.CreateSignedInClientAsync("customer");
        await AssertForbiddenAsync(customer.Http);
        var key = SessionKey(customer.AccessToken);
        var entry = (string?)await Redis.StringGetAsync(key);
        Assert.NotNull(entry);

        // Keep whatever precedes the JSON (a signature, if any) and grant every permission inside it.
        var jsonStart = entry.IndexOf('{', StringComparison.Ordinal);
        var principal = JsonNode.Parse(entry[jsonStart..])!.AsObject();
        principal["roles"] = new JsonArray("admin");
        principal["permissions"] = JsonSerializer.SerializeToNode(await AllPermissionsAsync());
        await Redis.StringSetAsync(key, entry[..jsonStart] + principal.ToJsonString(), TimeSpan.FromHours(1));

        await AssertForbiddenAsync(customer.Http);
        // The session itself still works, read from PostgreSQL, and the forged entry is gone.
        using var me = await customer.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.DoesNotContain("\"admin\"", (string?)await Redis.StringGetAsync(key) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_entry_copied_under_a_customer_token_is_not_honoured()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");
        using (var adminCall = await admin.Http.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, adminCall.StatusCode);
        }

        var adminEntry = await Redis.StringGetAsync(SessionKey(admin.AccessToken));
        Assert.False(adminEntry.IsNull);

        await Redis.StringSetAsync(SessionKey(customer.AccessToken), adminEntry, TimeSpan.FromHours(1));

        await AssertForbiddenAsync(customer.Http);
    }

    private IDatabase Redis => _host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    private RedisKey SessionKey(string accessToken) =>
        _host.Services.GetRequiredService<IOptions<RedisOptions>>().Value.Key("session:" + SessionTests.Sha256(accessToken));

    private Task<string[]> AllPermissionsAsync() => _host.Database.ScalarAsync<string[]>("select array_agg(name) from permissions");

    private static async Task AssertForbiddenAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/api/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
