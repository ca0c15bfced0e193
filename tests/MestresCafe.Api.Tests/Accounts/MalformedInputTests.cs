using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>Whatever a client sends, the answer is a 4xx with problem details and no row is written.</summary>
public sealed class MalformedInputTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private const string CountWrites =
        """
        select (select count(*) from users) + (select count(*) from user_sessions) + (select count(*) from login_attempts)
             + (select count(*) from password_resets) + (select count(*) from audit_logs) + (select count(*) from customers)
        """;

    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    public static TheoryData<string, string> BadBodies => new()
    {
        { "/api/auth/register", """{"email": "a@example.com", "password": """ },
        { "/api/auth/register", """{"email": 42, "password": "Senha-forte-2024", "firstName": "A"}""" },
        { "/api/auth/register", """["not", "an", "object"]""" },
        { "/api/auth/register", "" },
        { "/api/auth/register", "null" },
        { "/api/auth/login", """{"email": "a@example.com" "password": "x"}""" },
        { "/api/auth/login", """{"email": {"$ne": null}, "password": {"$ne": null}}""" },
        { "/api/auth/login", "\u0000\u0001" },
        { "/api/auth/refresh", """{"refreshToken": true}""" },
        { "/api/auth/password-reset", """{"email": ["a@example.com"]}""" },
        { "/api/auth/password-reset/confirm", """{"token": 1, "newPassword": 2}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_body_that_is_not_the_expected_json_is_a_400(string path, string body)
    {
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var response = await PostRawAsync(_http, path, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    [Theory]
    [InlineData("/api/auth/register", """{}""", new[] { "email", "firstName", "password" })]
    [InlineData("/api/auth/login", """{}""", new[] { "email", "password" })]
    [InlineData("/api/auth/refresh", """{}""", new[] { "refreshToken" })]
    [InlineData("/api/auth/password-reset", """{}""", new[] { "email" })]
    [InlineData("/api/auth/password-reset/confirm", """{}""", new[] { "newPassword", "token" })]
    [InlineData("/api/auth/register", """{"email": "not an email", "password": "Senha-forte-2024", "firstName": "A"}""", new[] { "email" })]
    [InlineData("/api/auth/register", """{"email": "x'; drop table users; --@example.com", "password": "Senha-forte-2024", "firstName": "A"}""", new[] { "email" })]
    [InlineData("/api/auth/register", """{"email": "a@example.com", "password": "Senha-forte-2024", "firstName": "A", "phone": "' or 1=1 --"}""", new[] { "phone" })]
    public async Task Missing_or_invalid_fields_are_named_in_a_validation_problem(string path, string body, string[] fields)
    {
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var response = await PostRawAsync(_http, path, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(fields, problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    [Fact]
    public async Task A_megabyte_string_is_refused_and_writes_nothing()
    {
        var before = await _host.Database.ScalarAsync<long>(CountWrites);
        var body = JsonSerializer.Serialize(new { email = NewEmail(), password = Password, firstName = new string('a', 1_000_000) });

        using var response = await PostRawAsync(_http, "/api/auth/register", body);

        // The in-process test server does not enforce body size limits (Kestrel answers 413; see
        // RevocationAcrossServersTests); the field rule still refuses it.
        Assert.InRange((int)response.StatusCode, 400, 413);
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    [Fact]
    public async Task Long_strings_within_the_size_limit_are_field_errors()
    {
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var response = await _http.PostAsJsonAsync("/api/auth/register", new
        {
            email = new string('e', 300) + "@example.com", password = new string('p', 200) + "1", firstName = new string('f', 5000), lastName = "\u0007bell",
        });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["email", "firstName", "lastName", "password"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var response = await _http.PostAsync("/api/auth/login", new StringContent("email=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_huge_login_password_is_refused_before_it_is_hashed()
    {
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var response = await _http.PostAsJsonAsync("/api/auth/login", new { email = NewEmail(), password = new string('x', 10_000) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }

    [Fact]
    public async Task Bad_json_on_an_authenticated_update_is_400_and_changes_nothing()
    {
        var tokens = await RegisterAsync(_http, NewEmail());
        var before = await _host.Database.ScalarAsync<long>(CountWrites);

        using var broken = await PostRawAsync(_http, "/api/me", """{"firstName": "Ana""", tokens.AccessToken, "PATCH");
        using var wrongType = await PostRawAsync(_http, "/api/me", """{"firstName": ["Ana"]}""", tokens.AccessToken, "PATCH");

        await AssertProblemAsync(broken, HttpStatusCode.BadRequest);
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        Assert.Equal(before, await _host.Database.ScalarAsync<long>(CountWrites));
    }
}
