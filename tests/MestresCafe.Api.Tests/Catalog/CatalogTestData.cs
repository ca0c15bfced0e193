using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Catalog;

internal static class CatalogTestData
{
    /// <summary>A paid order of <paramref name="userId"/> containing the product: what "bought it" means for reviews.</summary>
    public static async Task RecordPurchaseAsync(this TestDatabase database, long userId, string productSlug, string status = "delivered")
    {
        var orderId = await database.ScalarAsync<long>(
            "insert into orders (order_number, user_id, status, subtotal, total_amount) values ($1, $2, $3, 100, 100) returning id",
            "T-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(), userId, status);
        await database.ScalarAsync<long>(
            "insert into order_items (order_id, product_id, quantity, unit_price, total_price) select $1, id, 1, price, price from products where slug = $2 returning id",
            orderId, productSlug);
    }

    /// <summary>Signs a new user with <paramref name="role"/> in on a server process through the real login endpoint.</summary>
    public static async Task<HttpClient> SignInAsync(TestDatabase database, Uri server, string role)
    {
        var email = $"{role}.{Guid.NewGuid():N}@example.com.br";
        const string password = "Senha-de-teste-123";
        var userId = await database.ScalarAsync<long>(
            "insert into users (email, password_hash, first_name, last_name, is_admin) values ($1, $2, 'Teste', $3, $4) returning id",
            email, PasswordHasher.Hash(password), role, role == "admin");
        await database.ScalarAsync<int>("insert into user_roles (user_id, role_id) select $1, id from roles where name = $2 returning 1", userId, role);
        var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return http;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static string[] Slugs(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("slug").GetString()!).ToArray();
}
