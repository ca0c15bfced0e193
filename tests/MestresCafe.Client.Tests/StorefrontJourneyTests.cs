using System.Net.Http.Headers;
using MestresCafe.Client;
using MestresCafe.Client.Models;
using MestresCafe.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace MestresCafe.Client.Tests;

/// <summary>
/// The storefront journey through the C# client generated from the API's OpenAPI document, against
/// a real server process over the demo store: sign up, sign in, search, add to the cart, check out
/// with an Idempotency-Key, see the order paid (the simulated gateway confirms it through the signed
/// webhook, as in scripts/run.sh) and see the loyalty points it earned.
/// </summary>
public sealed class StorefrontJourneyTests
{
    [Fact]
    public async Task A_customer_buys_through_the_generated_client_and_earns_loyalty_points()
    {
        var clusterId = "client-" + Guid.NewGuid().ToString("N")[..8];
        await using var database = await TestDatabase.CreateMigratedAsync(nameof(StorefrontJourneyTests));
        await using var server = await ServerProcess.StartAsync(database.ConnectionString, clusterId, settings: new Dictionary<string, string>
        {
            ["Database__MigrateOnStartup"] = "false",
            ["Demo__Seed"] = "true",
            ["Demo__CredentialsFile"] = Path.Combine(Path.GetTempPath(), $"mc-demo-{clusterId}.txt"),
            ["Redis__KeyPrefix"] = clusterId + ":",
            ["Payments__AutoConfirm"] = "true",
            ["Payments__WebhookUrl"] = ServerProcess.SelfAddress + "/api/payments/webhooks/simulated",
            ["Payments__ConfirmationDelay"] = "00:00:00.100",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MestresCafeClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = server.BaseAddress.ToString().TrimEnd('/') });
        var email = $"ana.{Guid.NewGuid():N}@exemplo.com.br";
        const string password = "cafe-com-leite-2026";

        var registered = await client.Api.Auth.Register.PostAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ana", LastName = "Souza" });
        Assert.False(string.IsNullOrEmpty(registered?.Message));
        var tokens = await client.Api.Auth.Login.PostAsync(new LoginRequest { Email = email, Password = password });
        Assert.Equal("Bearer", tokens?.TokenType);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens!.AccessToken);

        var found = await client.Api.Catalog.Products.GetAsync(request => request.QueryParameters.Q = "bourbon");
        var summary = Assert.Single(found!.Items!, item => item.Slug == "cafe-sul-de-minas-bourbon-amarelo");
        var product = await client.Api.Catalog.Products[summary.Slug!].GetAsync();
        // The coffee is sold in variants (weight, grind), each an item of its own.
        var sku = product!.Variants!.First().Sku;
        var cart = await client.Api.Cart.Items.PostAsync(new AddItemRequest { Sku = sku, Quantity = 2 });
        Assert.Equal(2, Assert.Single(cart!.Lines!).Quantity);

        var order = await client.Api.Checkout.PostAsync(
            new CheckoutRequest
            {
                ShippingAddress = new AddressInput
                {
                    RecipientName = "Ana Souza", Street = "Rua Augusta", Number = "1500", District = "Consolação",
                    City = "São Paulo", State = AddressInput_state.SP, PostalCode = "01304-001",
                },
                PaymentMethod = CheckoutRequest_paymentMethod.Pix,
                ShippingMethod = CheckoutRequest_shippingMethod.Sedex,
            },
            request => request.Headers.Add("Idempotency-Key", "jornada-" + Guid.NewGuid().ToString("N")));
        Assert.False(string.IsNullOrEmpty(order?.OrderNumber));

        var paid = await Eventually.TrueAsync(async () =>
            (await client.Api.Orders[order!.OrderNumber!].GetAsync())?.Status == OrderStatus.Paid, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        Assert.True(paid, "The order was never paid.\n" + server.WarningsAndErrors());
        var earned = await Eventually.TrueAsync(async () =>
            (await client.Api.Loyalty.Me.GetAsync())?.Balance > 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        Assert.True(earned, "The paid order earned no loyalty points.\n" + server.WarningsAndErrors());
    }
}
