using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Loyalty;

/// <summary>The loyalty endpoints over HTTP against the demo program (Mestres Club) and its rewards.</summary>
public sealed class LoyaltyApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_customer_sees_their_account_and_bad_redemptions_get_clear_4xx()
    {
        using var customer = await host.CreateSignedInClientAsync();

        var me = await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me");
        Assert.Equal(0, me.GetProperty("balance").GetInt32());
        Assert.Equal("Bronze", me.GetProperty("tier").GetString());
        Assert.Equal("Prata", me.GetProperty("nextTier").GetString());

        var rewards = await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards");
        var rewardId = rewards.EnumerateArray().First().GetProperty("id").GetInt64();

        using var unknown = await customer.Http.PostAsync("/api/loyalty/rewards/999999/redeem", null);
        using var insufficient = await customer.Http.PostAsync($"/api/loyalty/rewards/{rewardId}/redeem", null);
        using var unearned = await customer.Http.PostAsync("/api/loyalty/achievements/999999/claim", null);
        using var others = await customer.Http.GetAsync($"/api/admin/loyalty/accounts/{customer.UserId}");
        using var adjust = await customer.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = customer.UserId, points = 1000, reason = "eu mesmo" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, insufficient.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unearned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adjust.StatusCode);
        Assert.Equal(0, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me")).GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task An_audited_adjustment_lets_the_customer_redeem_a_single_use_coupon()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var noReason = await admin.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = customer.UserId, points = 600, reason = "" });
        using var adjusted = await admin.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = customer.UserId, points = 600, reason = "cortesia" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'loyalty.adjust' and new_values->>'userId' = $1", customer.UserId.ToString()));

        var rewards = await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards");
        var tenOff = rewards.EnumerateArray().First(r => r.GetProperty("pointsRequired").GetInt32() == 500).GetProperty("id").GetInt64();
        using var redeemed = await customer.Http.PostAsync($"/api/loyalty/rewards/{tenOff}/redeem", null);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var redemption = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("issued", redemption.GetProperty("status").GetString());
        Assert.StartsWith("MC-RW-", redemption.GetProperty("couponCode").GetString());
        Assert.Equal(100, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me")).GetProperty("balance").GetInt32());

        // The coupon is the redeemer's alone: another customer's checkout with it is a 409 naming why.
        using var stranger = await host.CreateSignedInClientAsync();
        var sku = "LY-API-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, 60m);
        using var added = await stranger.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP", postalCode = "01310-100" },
                paymentMethod = "credit_card",
                cardToken = "tok_visa",
                couponCode = redemption.GetProperty("couponCode").GetString(),
                shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", "someone-elses-coupon");
        using var refused = await stranger.Http.SendAsync(checkout);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("OtherCustomer", await refused.Content.ReadAsStringAsync());
    }
}
