using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

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
    public async Task A_manager_cannot_adjust_their_own_points_and_the_attempt_is_audited()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var colleague = await host.CreateSignedInClientAsync("manager");

        using var own = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = manager.UserId, points = 5000, reason = "bônus" });

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("application/problem+json", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await manager.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me")).GetProperty("balance").GetInt32());
        Assert.Equal(1L, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'loyalty.adjust_own_refused' and user_id = $1 and (new_values->>'points')::int = 5000", manager.UserId));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'loyalty.adjust' and user_id = $1", manager.UserId));

        // Another manager may: the rule is about whose account it is, not about the role.
        using var byColleague = await colleague.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = manager.UserId, points = 50, reason = "cortesia" });
        Assert.Equal(HttpStatusCode.OK, byColleague.StatusCode);
        Assert.Equal(50, (await manager.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me")).GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task An_audited_adjustment_lets_the_customer_redeem_a_single_use_coupon()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var noReason = await admin.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = customer.UserId, points = 600, reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var code = await Storefront.RedeemRewardCouponAsync(admin, customer);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'loyalty.adjust' and new_values->>'userId' = $1", customer.UserId.ToString()));
        Assert.StartsWith("MC-RW-", code);
        Assert.Equal(100, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me")).GetProperty("balance").GetInt32());

        // The coupon is the redeemer's alone: another customer's checkout with it is a 409 naming why.
        using var stranger = await host.CreateSignedInClientAsync();
        using var refused = await Storefront.CheckoutOneItemAsync(host, stranger.Http, 60m, code, "someone-elses-coupon");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("OtherCustomer", await refused.Content.ReadAsStringAsync());
    }
}
