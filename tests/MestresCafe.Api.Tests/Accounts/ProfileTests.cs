using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class ProfileTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_profile_is_updated_field_by_field_and_audited()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);

        using var response = await SendAsync(_http, HttpMethod.Patch, "/api/me", tokens.AccessToken, new
        {
            firstName = "Beatriz", phone = "11 3456-7890", avatarUrl = "https://cdn.example.com/a.png", bio = "Barista em Campinas.",
            preferences = new { newsletter = true, moagem = "média" }, language = "en-US", timezone = "America/Manaus",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Beatriz", profile.GetProperty("firstName").GetString());
        Assert.Equal("Silva", profile.GetProperty("lastName").GetString());
        Assert.Equal("1134567890", profile.GetProperty("phone").GetString());
        Assert.Equal("média", profile.GetProperty("preferences").GetProperty("moagem").GetString());
        Assert.Equal("America/Manaus", await _host.Database.ScalarAsync<string>("select timezone from users where email = $1", email));
        Assert.Equal("Maria", await _host.Database.ScalarAsync<string>(
            """
            select a.old_values->>'firstName' from audit_logs a join users u on u.id = a.record_id
            where a.action = 'user.profile_update' and u.email = $1 and a.user_id = u.id
            """, email));

        using var cleared = await SendAsync(_http, HttpMethod.Patch, "/api/me", tokens.AccessToken, new { phone = "", bio = "" });
        var after = await cleared.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("phone").ValueKind);
        Assert.Equal("https://cdn.example.com/a.png", after.GetProperty("avatarUrl").GetString());
    }

    [Fact]
    public async Task Fields_a_client_may_not_set_are_ignored()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        var before = await _host.Database.ScalarAsync<string>("select password_hash from users where email = $1", email);

        using var response = await SendAsync(_http, HttpMethod.Patch, "/api/me", tokens.AccessToken, new
        {
            firstName = "Carlos",
            id = 1, userId = 1, email = "chefe@mestres.cafe", isAdmin = true, is_admin = true, isActive = false,
            roles = new[] { "admin" }, permissions = new[] { "users:write" }, customerId = 1, passwordHash = "pbkdf2-sha256$1$AA==$AA==",
            createdAt = "2000-01-01T00:00:00Z",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await _host.Database.ScalarAsync<string>(
            "select first_name || '|' || email || '|' || is_admin || '|' || is_active || '|' || (created_at > now() - interval '1 hour') from users where id = $1",
            tokens.UserId);
        Assert.Equal($"Carlos|{email}|false|true|true", row);
        Assert.Equal(before, await _host.Database.ScalarAsync<string>("select password_hash from users where email = $1", email));
        using var me = await GetMeAsync(_http, tokens.AccessToken);
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["customer"], profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        using var admin = await SendAsync(_http, HttpMethod.Get, "/api/admin/roles", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }

    [Fact]
    public async Task Invalid_fields_are_reported_together_and_nothing_changes()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);

        using var response = await SendAsync(_http, HttpMethod.Patch, "/api/me", tokens.AccessToken, new
        {
            firstName = "", lastName = new string('x', 101), phone = "12", avatarUrl = "javascript:alert(1)", bio = new string('b', 2001),
            preferences = new[] { 1, 2 }, language = "portuguese", timezone = "Mars/Olympus_Mons",
        });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["avatarUrl", "bio", "firstName", "language", "lastName", "phone", "preferences", "timezone"], fields);
        Assert.Equal("Maria|Silva|pt-BR|America/Sao_Paulo", await _host.Database.ScalarAsync<string>(
            "select first_name || '|' || last_name || '|' || language || '|' || timezone from users where email = $1", email));
        Assert.Equal(0, await _host.Database.ScalarAsync<int>(
            "select count(*) from audit_logs where action = 'user.profile_update' and record_id = $1", tokens.UserId));
    }

    [Fact]
    public async Task The_profile_needs_a_session()
    {
        using var anonymous = await _http.GetAsync("/api/me");
        using var patch = await PostRawAsync(_http, "/api/me", """{"firstName":"X"}""", method: "PATCH");

        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(patch, HttpStatusCode.Unauthorized);
    }
}
