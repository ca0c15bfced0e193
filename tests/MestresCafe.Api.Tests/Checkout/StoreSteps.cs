using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Checkout;

/// <summary>The steps of buying over HTTP (an item, the cart, checkout, the gateway's webhook), shared by the API tests.</summary>
internal static class StoreSteps
{
    public static readonly object Address = new
    {
        recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", complement = "apto 42",
        district = "Bela Vista", city = "São Paulo", state = "SP", postalCode = "01310-100",
    };

    public static async Task<string> NewItemAsync(this ApiTestHost host, int stock, decimal price = 30m)
    {
        var sku = "API-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, stock, price);
        return sku;
    }

    public static async Task AddToCartAsync(HttpClient http, string sku, int quantity)
    {
        using var response = await http.PostAsJsonAsync("/api/cart/items", new { sku, quantity });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A visitor's first add: the server issues the cart token, which the client then sends on every call.</summary>
    public static async Task<string> AddToNewVisitorCartAsync(HttpClient visitor, string sku, int quantity)
    {
        using var response = await visitor.PostAsJsonAsync("/api/cart/items", new { sku, quantity });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = Assert.Single(response.Headers.GetValues("X-Cart-Id"));
        visitor.DefaultRequestHeaders.Add("X-Cart-Id", token);
        return token;
    }

    public static async Task<int> AvailableAsync(HttpClient http, string sku) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/inventory/{sku}/availability")).GetProperty("available").GetInt32();

    public static Task<HttpResponseMessage> CheckoutAsync(
        HttpClient http, string key, string paymentMethod = "credit_card", string? coupon = null, string shippingMethod = "pac")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new { shippingAddress = Address, paymentMethod, cardToken = "tok_visa", couponCode = coupon, shippingMethod }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }

    /// <summary>A signed gateway event for the order; <paramref name="amount"/> and <paramref name="transactionId"/> default to the order's payment.</summary>
    public static Task<HttpResponseMessage> PostWebhookAsync(
        this ApiTestHost host, string number, JsonElement order, string type, string eventId,
        string secret = TestEnvironment.WebhookSecret, decimal? amount = null, string? transactionId = null) =>
        PostWebhookAsync(host.CreateClient(), number, order, type, eventId, secret, amount, transactionId);

    /// <summary>The same event, sent to the server <paramref name="server"/> talks to (a server of its own process).</summary>
    public static Task<HttpResponseMessage> PostWebhookAsync(
        HttpClient server, string number, JsonElement order, string type, string eventId,
        string secret = TestEnvironment.WebhookSecret, decimal? amount = null, string? transactionId = null)
    {
        var payment = order.GetProperty("payment");
        var body = JsonSerializer.Serialize(new GatewayWebhook(eventId, type, DateTimeOffset.UtcNow,
            new GatewayWebhookData(transactionId ?? payment.GetProperty("transactionId").GetString()!, number, amount ?? payment.GetProperty("amount").GetDecimal())),
            JsonSerializerOptions.Web);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/simulated")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, DateTimeOffset.UtcNow, body));
        return server.SendAsync(request);
    }

    /// <summary>Puts <paramref name="quantity"/> of the item in the cart and checks out: the created order.</summary>
    public static async Task<JsonElement> PlaceOrderAsync(HttpClient http, string sku, int quantity, string key, string paymentMethod = "credit_card")
    {
        await AddToCartAsync(http, sku, quantity);
        using var checkout = await CheckoutAsync(http, key, paymentMethod);
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        return await checkout.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Places an order and captures its payment through the webhook: the order number.</summary>
    public static async Task<string> PlacePaidOrderAsync(this ApiTestHost host, HttpClient http, string sku, int quantity, string key)
    {
        var order = await PlaceOrderAsync(http, sku, quantity, key);
        var number = order.GetProperty("orderNumber").GetString()!;
        using var captured = await host.PostWebhookAsync(number, order, "payment.captured", "evt_" + Guid.NewGuid().ToString("N"));
        Assert.Equal("processed", (await captured.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        return number;
    }
}
