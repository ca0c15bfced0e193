using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>
/// Two servers (separate processes, one cluster, one database) and a client of each signed in as
/// the same manager: what a client retrying on another server after a timeout looks like.
/// </summary>
internal sealed class TwoServers : IAsyncDisposable
{
    private readonly ServerProcess _first;
    private readonly ServerProcess _second;

    private TwoServers(ServerProcess first, ServerProcess second, HttpClient one, HttpClient two)
    {
        (_first, _second, One, Two) = (first, second, one, two);
    }

    public HttpClient One { get; }

    public HttpClient Two { get; }

    public static async Task<TwoServers> StartAsync(TestDatabase database, string clusterId)
    {
        var credentials = Path.Combine(Path.GetTempPath(), $"mc-demo-{clusterId}.txt");
        // The first server writes the roles (demo seed); both share the database and the cluster.
        // A Redis key prefix of their own: cached answers of another test's servers are another database's.
        var prefix = $"test:{clusterId}:";
        var first = await ServerProcess.StartAsync(database.ConnectionString, clusterId,
            settings: new Dictionary<string, string> { ["Demo__Seed"] = "true", ["Demo__CredentialsFile"] = credentials, ["Redis__KeyPrefix"] = prefix });
        var second = await ServerProcess.StartAsync(database.ConnectionString, clusterId, settings: new Dictionary<string, string> { ["Redis__KeyPrefix"] = prefix });
        File.Delete(credentials);
        var token = await SignInManagerAsync(database, first.BaseAddress!);
        return new TwoServers(first, second, Client(first.BaseAddress!, token), Client(second.BaseAddress!, token));
    }

    public async ValueTask DisposeAsync()
    {
        One.Dispose();
        Two.Dispose();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    private static async Task<string> SignInManagerAsync(TestDatabase database, Uri server)
    {
        var email = $"gerente.{Guid.NewGuid():N}@example.com.br";
        const string password = "Senha-de-teste-123";
        var userId = await database.ScalarAsync<long>(
            "insert into users (email, password_hash, first_name, last_name) values ($1, $2, 'Gerente', 'Teste') returning id", email, PasswordHasher.Hash(password));
        await database.ScalarAsync<int>("insert into user_roles (user_id, role_id) select $1, id from roles where name = 'manager' returning 1", userId);
        using var http = new HttpClient { BaseAddress = server };
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static HttpClient Client(Uri server, string token) =>
        new() { BaseAddress = server, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
}
