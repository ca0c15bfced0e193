using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MestresCafe.LoadTest.Harness;

/// <summary>The storefront calls a buyer makes, as plain HTTP against one server.</summary>
public static class StoreClient
{
    private static readonly object Address = new
    {
        recipientName = "Cliente Carga",
        street = "Rua Augusta",
        number = "100",
        district = "Consolação",
        city = "São Paulo",
        state = "SP",
        postalCode = "01304000",
    };

    public static async Task<HttpStatusCode> AddToCartAsync(HttpClient http, string token, string sku, int quantity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cart/items") { Content = JsonContent.Create(new { sku, quantity }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Returns the status and, on 201, the order number.</summary>
    public static async Task<(HttpStatusCode Status, string? OrderNumber)> CheckoutAsync(
        HttpClient http, string token, string idempotencyKey, string paymentMethod, string? couponCode, CancellationToken cancellationToken)
    {
        var body = new
        {
            shippingAddress = Address,
            paymentMethod,
            cardToken = paymentMethod == "credit_card" ? "tok_visa" : null,
            couponCode,
            shippingMethod = "pac",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return (response.StatusCode, json.RootElement.GetProperty("orderNumber").GetString());
    }
}
