using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>E-mail confirmation links, and the first-order coupon they unlock: one mailbox, one first order.</summary>
public sealed class EmailVerificationTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private const string VerifyPath = "/conta/confirmar-email";
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_link_sent_at_registration_verifies_the_email_once()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        var token = await TokenAsync(email);

        Assert.Equal(0, await AccountMessages.RowsHoldingAsync(_host, token));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from users where email = $1 and email_verification_token = $2 and email_verified_at is null", email, SessionTests.Sha256(token)));

        using var confirm = await ConfirmAsync(token);
        using var again = await ConfirmAsync(token);

        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        var problem = await AssertProblemAsync(again, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
        Assert.True(await IsVerifiedAsync(tokens.AccessToken));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from audit_logs a join users u on u.id = a.record_id where a.action = 'user.email_verified' and u.email = $1", email));
    }

    [Fact]
    public async Task A_new_link_replaces_the_pending_one_and_a_verified_email_gets_409()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        var first = await TokenAsync(email);

        using (var resend = await SendAsync(_http, HttpMethod.Post, "/api/me/email-verification", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        var second = await TokenAsync(email);
        using var withFirst = await ConfirmAsync(first);
        using var withSecond = await ConfirmAsync(second);
        using var afterVerified = await SendAsync(_http, HttpMethod.Post, "/api/me/email-verification", tokens.AccessToken);

        Assert.NotEqual(first, second);
        await AssertProblemAsync(withFirst, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, withSecond.StatusCode);
        await AssertProblemAsync(afterVerified, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        var token = await TokenAsync(email);
        await _host.Database.ScalarAsync<int>(
            "update users set email_verification_expires_at = now() - interval '1 minute' where email = $1 returning 1", email);

        using var confirm = await ConfirmAsync(token);

        await AssertProblemAsync(confirm, HttpStatusCode.BadRequest);
        Assert.False(await IsVerifiedAsync(tokens.AccessToken));
    }

    [Fact]
    public async Task A_first_order_coupon_needs_a_verified_email()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        using var customer = _host.CreateClient();
        customer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var sku = "VERIF-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await _host.Database.InsertItemAsync(sku, stock: 5, price: 100m);
        using (var add = await customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 }))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }

        using var unverified = await CheckoutAsync(customer, "first-order-unverified", "BEMVINDO10");

        var problem = await AssertProblemAsync(unverified, HttpStatusCode.Conflict);
        Assert.Equal("Verify your e-mail first", problem.GetProperty("title").GetString());
        Assert.Equal("EmailNotVerified", problem.GetProperty("reason").GetString());
        Assert.Equal(5, (await customer.GetFromJsonAsync<JsonElement>($"/api/inventory/{sku}/availability")).GetProperty("available").GetInt32());

        using (var confirm = await ConfirmAsync(await TokenAsync(email)))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        }

        using var verified = await CheckoutAsync(customer, "first-order-verified", "BEMVINDO10");

        Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
        var order = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(10m, order.GetProperty("totals").GetProperty("discount").GetDecimal());
    }

    private Task<string> TokenAsync(string email) => AccountMessages.TokenFromLinkAsync(_host, email, "email_verification", VerifyPath);

    private Task<HttpResponseMessage> ConfirmAsync(string token) => _http.PostAsJsonAsync("/api/auth/verify-email", new { token });

    private async Task<bool> IsVerifiedAsync(string accessToken)
    {
        using var me = await GetMeAsync(_http, accessToken);
        return (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("emailVerified").GetBoolean();
    }

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient http, string key, string coupon)
    {
        var address = new
        {
            recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", district = "Bela Vista",
            city = "São Paulo", state = "SP", postalCode = "01310-100",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new { shippingAddress = address, paymentMethod = "pix", couponCode = coupon, shippingMethod = "pac" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }
}
