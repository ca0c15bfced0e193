using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class RegistrationTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Registration_creates_a_customer_with_a_lower_cased_email_who_then_signs_in()
    {
        var email = NewEmail();

        using var response = await _http.PostAsJsonAsync("/api/auth/register",
            new { email = "  " + email.ToUpperInvariant() + " ", password = Password, firstName = "Joana", lastName = "Prado", phone = "+55 (11) 98765-4321" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("accessToken", out _));
        var tokens = await LoginOkAsync(_http, email);
        using var me = await GetMeAsync(_http, tokens.AccessToken);
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, profile.GetProperty("email").GetString());
        Assert.Equal("+5511987654321", profile.GetProperty("phone").GetString());
        Assert.False(profile.GetProperty("emailVerified").GetBoolean());
        Assert.Equal(["customer"], profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Contains("orders:create", profile.GetProperty("permissions").EnumerateArray().Select(r => r.GetString()));
        Assert.StartsWith("CLI-", profile.GetProperty("customerNumber").GetString());
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from users u join customers c on c.user_id = u.id where u.email = $1 and u.password_hash like 'pbkdf2-sha256$' || $2 || '$%'",
            email, PasswordHasher.Iterations.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from audit_logs a join users u on u.id = a.record_id where a.action = 'user.register' and u.email = $1", email));
    }

    [Fact]
    public async Task A_taken_email_gets_the_same_answer_as_a_free_one_after_the_same_work_and_its_owner_is_told()
    {
        var taken = NewEmail();
        await RegisterAsync(_http, taken);
        var free = NewEmail();
        const string Work =
            """
            select (select count(*) from notifications n join users u on u.id = n.user_id where u.email = $1)
                 + (select count(*) from audit_logs a join users u on u.id = a.record_id where u.email = $1 and a.action like 'user.register%')
            """;
        var takenWorkBefore = await _host.Database.ScalarAsync<long>(Work, taken);

        using var forFree = await _http.PostAsJsonAsync("/api/auth/register", new { email = free, password = "Outra-senha-2025", firstName = "Outra" });
        using var forTaken = await _http.PostAsJsonAsync("/api/auth/register", new { email = taken.ToUpperInvariant(), password = "Outra-senha-2025", firstName = "Outra" });

        Assert.Equal(HttpStatusCode.Accepted, forFree.StatusCode);
        Assert.Equal(forFree.StatusCode, forTaken.StatusCode);
        Assert.Equal(await forFree.Content.ReadAsStringAsync(), await forTaken.Content.ReadAsStringAsync());
        Assert.Equal(forFree.Content.Headers.ContentType?.MediaType, forTaken.Content.Headers.ContentType?.MediaType);
        // The same work: a notification (the confirmation link, or a note to the owner) and an audit row each.
        Assert.Equal(2, await _host.Database.ScalarAsync<long>(Work, free));
        Assert.Equal(takenWorkBefore + 2, await _host.Database.ScalarAsync<long>(Work, taken));
        Assert.Equal("registration_attempt", await _host.Database.ScalarAsync<string>(
            "select n.data->>'kind' from notifications n join users u on u.id = n.user_id where u.email = $1 order by n.id desc limit 1", taken));
        // The account is untouched: one user, its own password.
        Assert.Equal(1, await _host.Database.ScalarAsync<int>("select count(*) from users where email = $1", taken));
        using (var intruder = await LoginAsync(_http, taken, "Outra-senha-2025"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, intruder.StatusCode);
        }

        await LoginOkAsync(_http, taken);
    }

    [Theory]
    [InlineData("curta-1")]
    [InlineData("somenteletrasaqui")]
    [InlineData("1234567890123")]
    public async Task A_weak_password_is_a_field_error_and_nothing_is_written(string password)
    {
        var email = NewEmail();

        using var response = await _http.PostAsJsonAsync("/api/auth/register", new { email, password, firstName = "Ana" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from users where email = $1", email));
    }

    [Fact]
    public async Task The_password_may_not_be_the_email()
    {
        var email = NewEmail();

        using var response = await _http.PostAsJsonAsync("/api/auth/register", new { email, password = email, firstName = "Ana" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Registration_ignores_fields_a_client_may_not_set()
    {
        var email = NewEmail();

        using var response = await _http.PostAsJsonAsync("/api/auth/register", new
        {
            email, password = Password, firstName = "Eva",
            id = 1, isAdmin = true, is_admin = true, roles = new[] { "admin" }, role = "admin",
            customerId = 1, passwordHash = "x", isActive = false, permissions = new[] { "users:write" },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var tokens = await LoginOkAsync(_http, email);
        Assert.NotEqual(1, tokens.UserId);
        Assert.False(await _host.Database.ScalarAsync<bool>("select is_admin from users where email = $1", email));
        Assert.True(await _host.Database.ScalarAsync<bool>("select is_active from users where email = $1", email));
        Assert.Equal("customer", await _host.Database.ScalarAsync<string>(
            "select string_agg(r.name, ',') from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id where u.email = $1", email));
        using var admin = await SendAsync(_http, HttpMethod.Get, "/api/admin/users", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }
}
