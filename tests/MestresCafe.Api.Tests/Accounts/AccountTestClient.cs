using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>Calls of the account API that most tests need, over an anonymous or signed-in HttpClient.</summary>
internal static class AccountTestClient
{
    public const string Password = "Senha-forte-2024";

    public static string NewEmail(string prefix = "cliente") => $"{prefix}.{Guid.NewGuid():N}@example.com.br";

    /// <summary>Registers (202: registration signs nobody in) and signs in with the chosen password.</summary>
    public static async Task<Tokens> RegisterAsync(HttpClient http, string email, string password = Password, string firstName = "Maria")
    {
        await SignUpAsync(http, email, password, firstName);
        return await LoginOkAsync(http, email, password);
    }

    /// <summary>Registers only: no sign-in, so no login_attempts row.</summary>
    public static async Task SignUpAsync(HttpClient http, string email, string password = Password, string firstName = "Maria")
    {
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { email, password, firstName, lastName = "Silva" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static Task<HttpResponseMessage> LoginAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/auth/login", new { email, password });

    public static Task<HttpResponseMessage> LoginFromAsync(HttpClient http, string ip, string email, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add("X-Forwarded-For", ip);
        return http.SendAsync(request);
    }

    public static async Task<Tokens> LoginOkAsync(HttpClient http, string email, string password = Password)
    {
        using var response = await LoginAsync(http, email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? accessToken, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetMeAsync(HttpClient http, string accessToken) =>
        SendAsync(http, HttpMethod.Get, "/api/me", accessToken);

    public static Task<HttpResponseMessage> PostRawAsync(HttpClient http, string path, string body, string? accessToken = null, string method = "POST")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return http.SendAsync(request);
    }

    /// <summary>Asserts an RFC 7807 body with the given status and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static int RetryAfterSeconds(HttpResponseMessage response)
    {
        Assert.True(response.Headers.RetryAfter?.Delta is not null, "Retry-After missing");
        return (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
    }

    public sealed record Tokens(string AccessToken, string RefreshToken, string TokenType, DateTimeOffset ExpiresAt, DateTimeOffset RefreshExpiresAt, long UserId);
}
