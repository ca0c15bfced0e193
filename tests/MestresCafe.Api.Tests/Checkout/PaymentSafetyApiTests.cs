using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Payments;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Payments;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Checkout;

/// <summary>
/// What a payment platform checks before money or goods move: the webhook's amount and
/// transaction, the webhook's size, who may buy, and how much unpaid orders may hold.
/// </summary>
public sealed class PaymentSafetyApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_capture_of_another_amount_or_transaction_is_refused_and_recorded()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await host.NewItemAsync(stock: 5, price: 100m);
        var order = await PlaceOrderAsync(customer.Http, sku, 1, "mismatch-key-0001", paymentMethod: "pix");
        var number = order.GetProperty("orderNumber").GetString()!;

        using var underpaid = await host.PostWebhookAsync(number, order, "payment.captured", "evt_underpaid_1", amount: 0.01m);
        using var stranger = await host.PostWebhookAsync(number, order, "payment.captured", "evt_stranger_1", transactionId: "ch_another_order_xyz");

        foreach (var (response, eventId) in new[] { (underpaid, "evt_underpaid_1"), (stranger, "evt_stranger_1") })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("failed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            Assert.Equal("failed", await host.Database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = $1", eventId));
        }

        Assert.Contains("does not match", await host.Database.ScalarAsync<string>(
            "select error_message from payment_webhooks where external_event_id = 'evt_underpaid_1'"));
        Assert.Contains("does not belong", await host.Database.ScalarAsync<string>(
            "select error_message from payment_webhooks where external_event_id = 'evt_stranger_1'"));
        Assert.Equal("awaiting_payment", (await customer.Http.GetFromJsonAsync<JsonElement>($"/api/orders/{number}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_webhook_body_over_64_KB_is_a_413_before_its_signature_is_read()
    {
        var padding = new string('a', PaymentWebhookApi.MaxBodyBytes);
        var body = JsonSerializer.Serialize(new { id = "evt_big_1", type = "payment.captured", padding });
        using var declared = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/simulated")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        declared.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(TestEnvironment.WebhookSecret, DateTimeOffset.UtcNow, body));
        // Without a Content-Length the server finds out by reading, and stops past the limit.
        using var streamed = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/simulated")
        {
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body))),
        };
        streamed.Headers.Add(WebhookSignature.Header, "t=1,v1=00");

        using var first = await host.CreateClient().SendAsync(declared);
        using var second = await host.CreateClient().SendAsync(streamed);

        await AssertProblemAsync(first, HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(second, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await host.Database.ScalarAsync<int>("select count(*) from payment_webhooks where external_event_id = 'evt_big_1'"));
    }

    [Theory]
    [InlineData("support")]
    [InlineData("manager")]
    public async Task Staff_without_orders_create_cannot_check_out(string role)
    {
        using var staff = await host.CreateSignedInClientAsync(role);
        var sku = await host.NewItemAsync(stock: 5);
        await AddToCartAsync(staff.Http, sku, 1);

        using var checkout = await CheckoutAsync(staff.Http, $"staff-key-{role}");

        await AssertProblemAsync(checkout, HttpStatusCode.Forbidden);
        Assert.Equal(0, await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", staff.UserId));
        Assert.Equal(5, await AvailableAsync(staff.Http, sku));
    }

    [Fact]
    public async Task Unpaid_orders_cannot_hoard_an_item()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await host.NewItemAsync(stock: 100);

        await AddToCartAsync(customer.Http, sku, 11);
        using var overLine = await CheckoutAsync(customer.Http, "hoard-key-0001", paymentMethod: "boleto");
        var overLineProblem = await AssertProblemAsync(overLine, HttpStatusCode.UnprocessableEntity);
        (await customer.Http.DeleteAsync($"/api/cart/items/{sku}")).Dispose();
        await PlaceOrderAsync(customer.Http, sku, 10, "hoard-key-0002", paymentMethod: "boleto");
        await PlaceOrderAsync(customer.Http, sku, 10, "hoard-key-0003", paymentMethod: "boleto");
        await AddToCartAsync(customer.Http, sku, 1);
        using var overCustomer = await CheckoutAsync(customer.Http, "hoard-key-0004", paymentMethod: "boleto");

        Assert.Equal("order_line_limit", overLineProblem.GetProperty("lines")[0].GetProperty("reason").GetString());
        var problem = await AssertProblemAsync(overCustomer, HttpStatusCode.Conflict);
        Assert.Equal("HoldLimitReached", problem.GetProperty("outcome").GetString());
        Assert.Equal(80, await AvailableAsync(customer.Http, sku));
    }

    /// <summary>A request body whose length the client does not announce (sent chunked).</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
