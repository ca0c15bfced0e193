using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Loyalty;

/// <summary>Loyalty farming over HTTP: buy, claim an achievement, spend the points, have the order cancelled.</summary>
public sealed class LoyaltyClawbackApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_paid_order_cancelled_after_its_points_were_spent_leaves_a_debt_the_customer_and_the_back_office_see()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var admin = await host.CreateSignedInClientAsync("admin");
        using var checkout = await Storefront.CheckoutOneItemAsync(host, customer.Http, 450m, coupon: null, "farm-order-1");
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        await Storefront.CaptureAsync(host, order);
        Assert.True(await Eventually.TrueAsync(async () => (await MeAsync(customer)).GetProperty("balance").GetInt32() == 450), "the order's points never arrived");

        var firstOrder = (await MeAsync(customer)).GetProperty("achievements").EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == "Primeiro pedido").GetProperty("achievementId").GetInt64();
        using var claimed = await customer.Http.PostAsync($"/api/loyalty/achievements/{firstOrder}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var tenOff = (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards")).EnumerateArray()
            .First(r => r.GetProperty("pointsRequired").GetInt32() == 500).GetProperty("id").GetInt64();
        using var redeemed = await customer.Http.PostAsync($"/api/loyalty/rewards/{tenOff}/redeem", null);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode); // 450 + 100 - 500: 50 points left

        var number = order.GetProperty("orderNumber").GetString();
        using var cancelled = await admin.Http.PostAsJsonAsync($"/api/admin/orders/{number}/cancel", new { reason = "cliente desistiu" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        // The cancellation refunds the order: its 450 take the 50 left and owe 400; the achievement fell back and owes its 100.
        Assert.True(await Eventually.TrueAsync(async () => (await MeAsync(customer)).GetProperty("clawbackDebt").GetInt32() == 500),
            $"expected a debt of 500: {await MeAsync(customer)}");
        var me = await MeAsync(customer);
        Assert.Equal(0, me.GetProperty("balance").GetInt32());
        Assert.Contains(me.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "reversal"
            && h.GetProperty("reason").GetString() == $"reembolso do pedido {number} (400 pontos a descontar dos próximos ganhos)");
        var backOffice = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/loyalty/accounts/{customer.UserId}");
        Assert.Equal((0, 500), (backOffice.GetProperty("balance").GetInt32(), backOffice.GetProperty("clawbackDebt").GetInt32()));
        using var again = await customer.Http.PostAsync($"/api/loyalty/achievements/{firstOrder}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<string>(
            """
            select cl.points_balance || ':' || cl.points_debt from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1
            """, customer.UserId) == "0:500"), "customer_loyalty does not show the debt");
    }

    private static Task<JsonElement> MeAsync(SignedInClient customer) => customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/me");
}
