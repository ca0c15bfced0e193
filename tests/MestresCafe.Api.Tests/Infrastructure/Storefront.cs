using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>A customer's steps through the storefront API: points for a reward coupon, cart, checkout, the gateway's capture.</summary>
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
    public static async Task<HttpResponseMessage> CheckoutOneItemAsync(
        ApiTestHost host, HttpClient customer, decimal price, string? coupon, string idempotencyKey, object? shippingAddress = null, string? sku = null)
    {
        sku ??= "SF-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, price);
        using var added = await customer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = shippingAddress ?? new { recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP", postalCode = "01310-100" },
                paymentMethod = "credit_card",
                cardToken = "tok_visa",
                couponCode = coupon,
                shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", idempotencyKey);
        return await customer.SendAsync(checkout);
    }

    /// <summary>The gateway confirms the order's payment through the signed webhook.</summary>
    public static async Task CaptureAsync(ApiTestHost host, JsonElement order)
    {
        var payment = order.GetProperty("payment");
        var body = JsonSerializer.Serialize(new GatewayWebhook("evt_" + Guid.NewGuid().ToString("N"), "payment.captured", DateTimeOffset.UtcNow,
            new GatewayWebhookData(payment.GetProperty("transactionId").GetString()!, order.GetProperty("orderNumber").GetString()!,
                payment.GetProperty("amount").GetDecimal())), JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/simulated")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(TestEnvironment.WebhookSecret, DateTimeOffset.UtcNow, body));
        using var client = host.CreateClient();
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
