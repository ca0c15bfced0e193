using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>A customer's steps through the storefront API: points for a reward coupon, cart, checkout.</summary>
internal static class Storefront
{
    /// <summary>An admin grants points and the customer spends them on the demo's 500-point reward: answers its single-use coupon code.</summary>
    public static async Task<string> RedeemRewardCouponAsync(SignedInClient admin, SignedInClient customer)
    {
        using var adjusted = await admin.Http.PostAsJsonAsync("/api/admin/loyalty/adjustments", new { userId = customer.UserId, points = 600, reason = "cortesia" });
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        var rewards = await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards");
        var tenOff = rewards.EnumerateArray().First(r => r.GetProperty("pointsRequired").GetInt32() == 500).GetProperty("id").GetInt64();
        using var redeemed = await customer.Http.PostAsync($"/api/loyalty/rewards/{tenOff}/redeem", null);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var redemption = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("issued", redemption.GetProperty("status").GetString());
        return redemption.GetProperty("couponCode").GetString()!;
    }

    /// <summary>Puts one unit of a new item of this price in the customer's cart and checks out by card with the coupon.</summary>
    public static async Task<HttpResponseMessage> CheckoutOneItemAsync(ApiTestHost host, HttpClient customer, decimal price, string? coupon, string idempotencyKey)
    {
        var sku = "SF-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, price);
        using var added = await customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP", postalCode = "01310-100" },
                paymentMethod = "credit_card",
                cardToken = "tok_visa",
                couponCode = coupon,
                shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", idempotencyKey);
        return await customer.SendAsync(checkout);
    }
}
