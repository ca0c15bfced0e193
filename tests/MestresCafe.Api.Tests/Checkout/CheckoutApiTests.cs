using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Coupons;
using MestresCafe.Payments;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Checkout;

/// <summary>Cart, checkout, payment webhook and orders over HTTP, against the demo store.</summary>
public sealed class CheckoutApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string WebhookSecret = TestEnvironment.WebhookSecret;

    [Fact]
    public async Task Cart_to_paid_order_through_checkout_and_a_signed_webhook()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 5, price: 59.90m);
        await AddToCartAsync(customer.Http, sku, 2);

        using var checkout = await CheckoutAsync(customer.Http, "order-key-0001");
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var number = order.GetProperty("orderNumber").GetString()!;
        Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());
        Assert.Equal(119.80m + 19.90m, order.GetProperty("totals").GetProperty("total").GetDecimal());

        using var webhook = await PostWebhookAsync(number, order, "payment.captured", "evt_api_capture_1");
        using var duplicate = await PostWebhookAsync(number, order, "payment.captured", "evt_api_capture_1");
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Equal("duplicate", (await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var mine = await customer.Http.GetFromJsonAsync<JsonElement>($"/api/orders/{number}");
        Assert.Equal("paid", mine.GetProperty("status").GetString());
        var cart = await customer.Http.GetFromJsonAsync<JsonElement>("/api/cart");
        Assert.Equal(0, cart.GetProperty("lines").GetArrayLength());
        // Recorded by the order's projection with the payment's effects, once, whatever the redelivery.
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<int>(
            "select count(*) from payment_webhooks where external_event_id = 'evt_api_capture_1' and status = 'processed'") == 1));
        Assert.Equal("payment.captured", await host.Database.ScalarAsync<string>(
            "select payload ->> 'type' from payment_webhooks where external_event_id = 'evt_api_capture_1'"));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_same_order_and_another_body_is_a_422()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 5);
        await AddToCartAsync(customer.Http, sku, 1);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CheckoutAsync(customer.Http, "same-key-0001")));
        using var otherBody = await CheckoutAsync(customer.Http, "same-key-0001", shippingMethod: "sedex");

        var numbers = new HashSet<string>();
        foreach (var attempt in attempts)
        {
            Assert.Equal(HttpStatusCode.Created, attempt.StatusCode);
            numbers.Add((await attempt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNumber").GetString()!);
            attempt.Dispose();
        }

        Assert.Single(numbers);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal("application/problem+json", otherBody.Content.Headers.ContentType?.MediaType);
        // The order row comes from the projection, after the answer: wait for it, then exactly one.
        Assert.True(await Eventually.TrueAsync(async () =>
            await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", customer.UserId) > 0));
        Assert.Equal(1, await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", customer.UserId));
        Assert.Equal(4, await AvailableAsync(customer.Http, sku));
    }

    [Fact]
    public async Task A_line_that_cannot_be_reserved_is_a_409_naming_it_and_nothing_stays_reserved()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var plenty = await NewItemAsync(stock: 10);
        var scarce = await NewItemAsync(stock: 2);
        await AddToCartAsync(customer.Http, plenty, 3);
        await AddToCartAsync(customer.Http, scarce, 2);
        var grains = (IGrainFactory)host.Services.GetService(typeof(IGrainFactory))!;
        await grains.GetGrain<MestresCafe.Inventory.IInventoryItemGrain>(MestresCafe.Inventory.InventoryKey.For(scarce))
            .AdjustAsync(new MestresCafe.Inventory.StockAdjustment(-1, "damaged", null, null));

        using var checkout = await CheckoutAsync(customer.Http, "short-key-0001");

        Assert.Equal(HttpStatusCode.Conflict, checkout.StatusCode);
        var problem = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(scarce, Assert.Single(problem.GetProperty("lines").EnumerateArray()).GetProperty("sku").GetString());
        Assert.Equal(10, await AvailableAsync(customer.Http, plenty));
        Assert.Equal(1, await AvailableAsync(customer.Http, scarce));
    }

    [Fact]
    public async Task Bad_checkout_input_gets_a_4xx_and_writes_nothing()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 5);
        await AddToCartAsync(customer.Http, sku, 1);

        using var noKey = await customer.Http.PostAsJsonAsync("/api/checkout", new { shippingAddress = Address, paymentMethod = "pix" });
        using var badMethod = await CheckoutAsync(customer.Http, "bad-input-0001", paymentMethod: "cheque");
        using var badJson = await customer.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = new StringContent("{\"shippingAddress\": ", Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "bad-input-0002" } },
        });
        using var unknownCoupon = await CheckoutAsync(customer.Http, "bad-input-0003", coupon: "NAOEXISTE");
        using var anonymous = await host.CreateClient().PostAsJsonAsync("/api/checkout", new { });

        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badMethod.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownCoupon.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", customer.UserId));
        Assert.Equal(5, await AvailableAsync(customer.Http, sku));
    }

    [Fact]
    public async Task Two_racing_checkouts_of_one_customer_with_a_first_order_coupon_get_the_discount_once()
    {
        using var customer = await host.CreateSignedInClientAsync();
        await host.Database.ExecuteAsync($"update users set email_verified_at = now() where id = {customer.UserId}");
        var code = "PRIMEIRA-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        // No per-customer limit: "first order" alone must hold, before the orders table shows either order.
        var grains = (IGrainFactory)host.Services.GetService(typeof(IGrainFactory))!;
        await grains.GetGrain<ICouponGrain>(code).DefineAsync(new CouponDefinition(
            CouponType.Percentage, 10m, 0m, null, null, null, null, true, new CouponConditions([], [], true, []), "primeira compra"));
        var sku = await NewItemAsync(stock: 10, price: 100m);
        await AddToCartAsync(customer.Http, sku, 1);

        var responses = await Task.WhenAll(
            CheckoutAsync(customer.Http, "first-race-0001", coupon: code), CheckoutAsync(customer.Http, "first-race-0002", coupon: code));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(10m, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").GetProperty("discount").GetDecimal());
        var refused = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        // Refused by the coupon grain, or finding the cart already emptied by the first order.
        Assert.Contains((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString(), new[] { "CouponRefused", "EmptyCart" });
        Assert.True(await Eventually.TrueAsync(async () =>
            await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", customer.UserId) == 1));
        Assert.Equal(1, await host.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1 and discount_amount > 0", customer.UserId));
        Assert.Equal(1, (await grains.GetGrain<ICouponGrain>(code).GetAsync())!.HeldCount);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public async Task Absurd_cart_quantities_are_refused(int quantity)
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 5);

        using var response = await customer.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_items_and_quantities_over_stock_are_refused_by_the_cart()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 2);

        using var unknown = await customer.Http.PostAsJsonAsync("/api/cart/items", new { sku = "NO-SUCH-SKU", quantity = 1 });
        using var tooMany = await customer.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 3 });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
    }

    [Fact]
    public async Task A_visitor_cart_merges_into_the_customer_cart()
    {
        var sku = await NewItemAsync(stock: 9);
        using var visitor = host.CreateClient();
        var cartToken = await AddToNewVisitorCartAsync(visitor, sku, 2);
        using var customer = await host.CreateSignedInClientAsync();

        using var merged = await customer.Http.PostAsJsonAsync("/api/cart/merge", new { cartId = cartToken });

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var line = Assert.Single((await merged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 2), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32()));
        Assert.Equal(0, (await visitor.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Signing_in_with_a_visitor_cart_merges_it()
    {
        var sku = await NewItemAsync(stock: 9);
        using var visitor = host.CreateClient();
        await AddToNewVisitorCartAsync(visitor, sku, 3);
        using var account = await host.CreateSignedInClientAsync();

        using var login = await visitor.PostAsJsonAsync("/api/auth/login", new { email = account.Email, password = account.Password });
        var cart = await account.Http.GetFromJsonAsync<JsonElement>("/api/cart");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var line = Assert.Single(cart.GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 3), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32()));
    }

    [Fact]
    public async Task Another_customers_order_is_a_404_and_a_bad_webhook_signature_is_rejected()
    {
        using var owner = await host.CreateSignedInClientAsync();
        using var stranger = await host.CreateSignedInClientAsync();
        var sku = await NewItemAsync(stock: 3);
        await AddToCartAsync(owner.Http, sku, 1);
        using var checkout = await CheckoutAsync(owner.Http, "owner-key-0001");
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var number = order.GetProperty("orderNumber").GetString()!;

        using var peek = await stranger.Http.GetAsync($"/api/orders/{number}");
        using var cancel = await stranger.Http.PostAsync($"/api/orders/{number}/cancel", null);
        using var forged = await PostWebhookAsync(number, order, "payment.captured", "evt_forged", secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("awaiting_payment", (await owner.Http.GetFromJsonAsync<JsonElement>($"/api/orders/{number}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Back_office_ships_and_delivers_and_refuses_illegal_moves_with_409()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var admin = await host.CreateSignedInClientAsync("admin");
        var sku = await NewItemAsync(stock: 3);
        await AddToCartAsync(customer.Http, sku, 1);
        using var checkout = await CheckoutAsync(customer.Http, "ship-key-0001");
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var number = order.GetProperty("orderNumber").GetString()!;

        using var early = await admin.Http.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "BR123456789BR" });
        (await PostWebhookAsync(number, order, "payment.captured", "evt_ship_1")).Dispose();
        using var shipped = await admin.Http.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "BR123456789BR" });
        using var delivered = await admin.Http.PostAsync($"/api/admin/orders/{number}/deliver", null);
        using var byCustomer = await customer.Http.PostAsync($"/api/admin/orders/{number}/deliver", null);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        // One audit row for the one ship that happened; the refused early ship writes none.
        Assert.Equal(1, await host.Database.ScalarAsync<int>(
            "select count(*) from audit_logs where action = 'order.ship' and new_values->>'orderNumber' = $1", number));
    }

    private Task<string> NewItemAsync(int stock, decimal price = 30m) => host.NewItemAsync(stock, price);

    private Task<HttpResponseMessage> PostWebhookAsync(string number, JsonElement order, string type, string eventId, string secret = WebhookSecret) =>
        host.PostWebhookAsync(number, order, type, eventId, secret);
}
