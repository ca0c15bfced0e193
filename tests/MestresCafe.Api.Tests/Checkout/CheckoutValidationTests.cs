using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Checkout;

/// <summary>
/// The checkout body is checked by the built-in validation (AddValidation) before the handler runs:
/// the answer keeps the wire contract clients rely on (400, problem+json, JSON-spelled paths).
/// </summary>
public sealed class CheckoutValidationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Nested_address_fields_are_named_by_their_json_paths()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { recipientName = "A", street = "Avenida Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "XX", postalCode = "123" },
                billingAddress = new { recipientName = "Ana Souza", street = "Rua A", number = "1", district = "Centro", city = "", state = "SP", postalCode = "01310-100" },
                paymentMethod = "cheque",
                shippingMethod = "drone",
            }),
        };
        request.Headers.Add("Idempotency-Key", "validation-0001");

        using var response = await customer.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(
            ["billingAddress.city", "paymentMethod", "shippingAddress.postalCode", "shippingAddress.recipientName", "shippingAddress.state", "shippingMethod"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Required, 2 to 120 characters.", errors.GetProperty("shippingAddress.recipientName")[0].GetString());
    }

    [Fact]
    public async Task A_card_payment_without_a_token_and_a_missing_key_are_each_named()
    {
        using var customer = await host.CreateSignedInClientAsync();

        using var noToken = await customer.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new { shippingAddress = StoreSteps.Address, paymentMethod = "credit_card" }),
            Headers = { { "Idempotency-Key", "validation-0002" } },
        });
        using var noKey = await customer.Http.PostAsJsonAsync("/api/checkout", new { shippingAddress = StoreSteps.Address, paymentMethod = "pix" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (noToken.StatusCode, noKey.StatusCode));
        Assert.Equal(["cardToken"], (await noToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(["Idempotency-Key"], (await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", customer.UserId));
    }
}
