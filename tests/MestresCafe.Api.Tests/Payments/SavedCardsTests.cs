using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Data.Payments;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Payments;

/// <summary>
/// Saved cards (/api/me/payment-methods) in the payments test host: tokens from the simulated
/// gateway, encrypted at rest with a key ring outside PostgreSQL, paid with at checkout, only ever
/// the owner's, removed by erasure.
/// </summary>
public sealed partial class PaymentMethodsAdminTests
{
    private const string Cards = "/api/me/payment-methods";

    [Fact]
    public async Task A_saved_card_shows_only_brand_last_four_and_expiry_and_its_row_alone_reveals_nothing()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var token = await TokenAsync("4111 1111 1111 1111", 12, 2030);

        using var saved = await customer.Http.PostAsJsonAsync(Cards, new { token });
        var card = await saved.JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("visa", "1111", 12, 2030, true, false), (card.GetProperty("brand").GetString(), card.GetProperty("lastFour").GetString(),
            card.GetProperty("expiryMonth").GetInt32(), card.GetProperty("expiryYear").GetInt32(), card.GetProperty("isDefault").GetBoolean(), card.GetProperty("expired").GetBoolean()));
        Assert.DoesNotContain(token, await customer.Http.GetStringAsync(Cards), StringComparison.Ordinal);

        var row = await host.Database.ScalarAsync<string>("select encrypted_data::text from customer_payment_methods where id = $1", card.GetProperty("id").GetInt64());
        Assert.DoesNotContain(token, row, StringComparison.Ordinal);
        Assert.DoesNotContain("visa", row, StringComparison.OrdinalIgnoreCase);
        // Another key ring (a database dump restored elsewhere) cannot read it; this server's can.
        var protectedData = JsonDocument.Parse(row).RootElement.GetProperty("protected").GetString()!;
        using var otherRing = new CardVault(Options.Create(new SavedCardOptions { KeyRingPath = Path.Combine(Path.GetTempPath(), "mc-other-ring-" + Guid.NewGuid().ToString("N")) }),
            host.Services.GetRequiredService<IHostEnvironment>(), NullLogger<CardVault>.Instance);
        Assert.Null(otherRing.Unprotect(protectedData));
        Assert.Equal(token, host.Services.GetRequiredService<CardVault>().Unprotect(protectedData)!.Token);
    }

    [Fact]
    public async Task A_saved_card_pays_an_order_still_after_the_key_ring_rotated_and_erasure_removes_every_card()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var visa = await SaveAsync(customer.Http, "4111111111111111");
        var vault = host.Services.GetRequiredService<CardVault>();
        vault.Keys.CreateNewKey(DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(90));
        var mastercard = await SaveAsync(customer.Http, "5555555555554444", makeDefault: true);

        var listed = (await customer.Http.GetFromJsonAsync<JsonElement>(Cards)).EnumerateArray().ToList();
        Assert.Equal([(mastercard, "mastercard", true), (visa, "visa", false)],
            listed.Select(c => (c.GetProperty("id").GetInt64(), c.GetProperty("brand").GetString()!, c.GetProperty("isDefault").GetBoolean())));

        var sku = await host.NewItemAsync(stock: 3, price: 80m);
        await AddToCartAsync(customer.Http, sku, 1);
        using var paid = await CheckoutWithSavedCardAsync(customer.Http, visa);
        var order = await paid.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("credit_card", order.GetProperty("payment").GetProperty("method").GetString());

        using var madeDefault = await customer.Http.PostAsync($"{Cards}/{visa}/default", null);
        using var deleted = await customer.Http.DeleteAsync($"{Cards}/{mastercard}");
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (madeDefault.StatusCode, deleted.StatusCode));
        var left = Assert.Single((await customer.Http.GetFromJsonAsync<JsonElement>(Cards)).EnumerateArray());
        Assert.Equal((visa, true), (left.GetProperty("id").GetInt64(), left.GetProperty("isDefault").GetBoolean()));

        Assert.Equal(1, await host.Services.GetRequiredService<CustomerPaymentMethodStore>().EraseForUserAsync(customer.UserId, CancellationToken.None));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("select count(*) from customer_payment_methods where user_id = $1", customer.UserId));
    }

    [Fact]
    public async Task Another_customers_card_cannot_be_listed_used_made_default_or_deleted()
    {
        using var owner = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        var card = await SaveAsync(owner.Http, "5555555555554444");
        var sku = await host.NewItemAsync(stock: 3, price: 50m);
        await AddToCartAsync(other.Http, sku, 1);

        Assert.Equal(0, (await other.Http.GetFromJsonAsync<JsonElement>(Cards)).GetArrayLength());
        using var used = await CheckoutWithSavedCardAsync(other.Http, card);
        using var madeDefault = await other.Http.PostAsync($"{Cards}/{card}/default", null);
        using var deleted = await other.Http.DeleteAsync($"{Cards}/{card}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (used.StatusCode, madeDefault.StatusCode, deleted.StatusCode));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("select count(*) from customer_payment_methods where id = $1 and user_id = $2", card, owner.UserId));
        Assert.Equal(3, await AvailableAsync(other.Http, sku));
    }

    [Fact]
    public async Task An_expired_card_is_refused_at_checkout_and_made_up_or_expired_tokens_are_not_saved()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var card = await SaveAsync(customer.Http, "378282246310005");
        await host.Database.ScalarAsync<int>("update customer_payment_methods set expiry_month = '01', expiry_year = '2021' where id = $1 returning 1", card);
        var sku = await host.NewItemAsync(stock: 3, price: 50m);
        await AddToCartAsync(customer.Http, sku, 1);

        using var expired = await CheckoutWithSavedCardAsync(customer.Http, card);
        Assert.Equal("The saved card has expired", (await expired.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("title").GetString());
        Assert.True((await customer.Http.GetFromJsonAsync<JsonElement>(Cards))[0].GetProperty("expired").GetBoolean());

        using var madeUp = await customer.Http.PostAsJsonAsync(Cards, new { token = "tok_visa" });
        using var expiredNumber = await host.CreateClient().PostAsJsonAsync("/api/payments/simulated/card-tokens",
            new { number = "4111111111111111", expiryMonth = 1, expiryYear = 2021, cvv = "123" });
        using var badNumber = await host.CreateClient().PostAsJsonAsync("/api/payments/simulated/card-tokens",
            new { number = "4111111111111112", expiryMonth = 1, expiryYear = 2030, cvv = "123" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, madeUp.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (expiredNumber.StatusCode, badNumber.StatusCode));
    }

    private async Task<string> TokenAsync(string number, int month, int year)
    {
        using var response = await host.CreateClient().PostAsJsonAsync("/api/payments/simulated/card-tokens", new { number, expiryMonth = month, expiryYear = year, cvv = "123" });
        return (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("token").GetString()!;
    }

    private async Task<long> SaveAsync(HttpClient customer, string number, bool makeDefault = false)
    {
        using var saved = await customer.PostAsJsonAsync(Cards, new { token = await TokenAsync(number, 12, 2030), makeDefault });
        return (await saved.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    private static Task<HttpResponseMessage> CheckoutWithSavedCardAsync(HttpClient http, long savedCardId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new { shippingAddress = Address, paymentMethod = "credit_card", savedCardId }),
        };
        request.Headers.Add("Idempotency-Key", "saved-" + Guid.NewGuid().ToString("N")[..12]);
        return http.SendAsync(request);
    }
}
