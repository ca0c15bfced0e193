using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Orders;

/// <summary>Who may move money back in the back office: refunds, return refunds and the cancellation of a paid order.</summary>
public sealed class OrdersAdminApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Support_cannot_cancel_a_paid_order_but_may_cancel_an_unpaid_one()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var support = await host.CreateSignedInClientAsync("support");
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10);
        var paid = await host.PlacePaidOrderAsync(customer.Http, sku, 2, "cancel-paid-0001");
        var unpaid = (await PlaceOrderAsync(customer.Http, sku, 1, "cancel-unpaid-0001", paymentMethod: "pix")).GetProperty("orderNumber").GetString()!;

        using var bySupport = await support.Http.PostAsJsonAsync($"/api/admin/orders/{paid}/cancel", new { reason = "pedido do cliente" });
        using var unpaidBySupport = await support.Http.PostAsJsonAsync($"/api/admin/orders/{unpaid}/cancel", new { reason = "pedido do cliente" });
        using var byManager = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{paid}/cancel", new { reason = "pedido do cliente" });

        await AssertProblemAsync(bySupport, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, unpaidBySupport.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byManager.StatusCode);
        var cancelled = await byManager.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("cancelled", "refunded"), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("payment").GetProperty("status").GetString()));
        Assert.Equal(10, await AvailableAsync(customer.Http, sku));
        // The cancellation's refund is a refund like any other: its row (and its refunded event) exists.
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<int>(
            "select count(*) from payment_refunds r join payments p on p.id = r.payment_id join orders o on o.id = p.order_id where o.order_number = $1 and r.reason = 'order_cancelled'",
            paid) == 1), "the cancellation's refund was not recorded");
        Assert.Equal(1, await host.Database.ScalarAsync<int>("select count(*) from audit_logs where action = 'order.cancel' and new_values::text like '%' || $1 || '%'", paid));
    }

    [Fact]
    public async Task A_customer_lists_only_their_own_orders_and_the_back_office_filters_by_customer()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10, price: 40m);
        var number = await host.PlacePaidOrderAsync(customer.Http, sku, 2, "list-own-0001");
        await PlaceOrderAsync(other.Http, sku, 1, "list-other-0001", paymentMethod: "pix");

        JsonElement mine = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            mine = await customer.Http.GetFromJsonAsync<JsonElement>("/api/orders");
            return mine.GetArrayLength() == 1 && mine[0].GetProperty("status").GetString() == "paid";
        }), "the paid order did not reach the customer's list");
        Assert.Equal((number, 1L), (mine[0].GetProperty("orderNumber").GetString(), mine[0].GetProperty("items").GetInt64()));

        var filtered = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/orders?userId={customer.UserId}&status=paid");
        var none = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/orders?userId={customer.UserId}&status=cancelled");

        Assert.Equal(1L, filtered.GetProperty("total").GetInt64());
        var row = filtered.GetProperty("items")[0];
        Assert.Equal((number, customer.Email, customer.UserId), (row.GetProperty("orderNumber").GetString(), row.GetProperty("email").GetString(), row.GetProperty("userId").GetInt64()));
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("paidAt").ValueKind);
        Assert.Equal((0L, 0), (none.GetProperty("total").GetInt64(), none.GetProperty("items").GetArrayLength()));
    }

    [Fact]
    public async Task A_manager_cannot_refund_an_order_they_placed_themselves()
    {
        using var manager = await SignedInManagerWhoAlsoBuysAsync();
        using var otherManager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10, price: 80m);
        var number = await host.PlacePaidOrderAsync(manager, sku, 2, "own-order-0001");
        await DeliverAsync(otherManager.Http, number);
        using var requested = await manager.PostAsJsonAsync($"/api/orders/{number}/returns", new { sku, quantity = 1, reason = "damaged" });
        var returnId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returns")[0].GetProperty("returnId").GetString();
        (await otherManager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/approve", null)).Dispose();
        (await otherManager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/receive", null)).Dispose();

        using var ownRefund = await manager.PostAsJsonAsync($"/api/admin/orders/{number}/refund", new { amount = 10m, reason = "customer_request" });
        using var ownReturnRefund = await manager.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/refund", null);
        var untouched = await otherManager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/orders/{number}");
        using var byColleague = await otherManager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/refund", null);

        await AssertProblemAsync(ownRefund, HttpStatusCode.Forbidden);
        await AssertProblemAsync(ownReturnRefund, HttpStatusCode.Forbidden);
        Assert.Equal(0m, untouched.GetProperty("payment").GetProperty("refundedAmount").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, byColleague.StatusCode);
        Assert.Equal(80m, (await byColleague.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment").GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task A_return_refund_after_a_partial_refund_refunds_only_what_is_left()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 10, price: 80m);
        var number = await host.PlacePaidOrderAsync(customer.Http, sku, 3, "partial-return-0001"); // 240.00, PAC free
        await DeliverAsync(manager.Http, number);
        using var partial = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{number}/refund", new { amount = 200m, reason = "customer_request" });
        using var requested = await customer.Http.PostAsJsonAsync($"/api/orders/{number}/returns", new { sku, quantity = 1, reason = "damaged" });
        var returnId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returns")[0].GetProperty("returnId").GetString();
        (await manager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/approve", null)).Dispose();
        (await manager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/receive", null)).Dispose();

        using var refunded = await manager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/refund", null);
        using var more = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{number}/refund", new { amount = 0.01m, reason = "other" });

        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var payment = (await refunded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment");
        Assert.Equal((240m, "refunded"), (payment.GetProperty("refundedAmount").GetDecimal(), payment.GetProperty("status").GetString()));
        Assert.True((int)more.StatusCode is 409 or 422, $"a refund beyond the capture answered {(int)more.StatusCode}");
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<decimal>(
            "select coalesce(sum(r.amount), 0) from payment_refunds r join payments p on p.id = r.payment_id join orders o on o.id = p.order_id where o.order_number = $1",
            number) == 240m), "payment_refunds did not reach the captured amount");
    }

    /// <summary>A manager who also holds the customer role (staff buy from the store too), signed in afresh so the session carries both.</summary>
    private async Task<HttpClient> SignedInManagerWhoAlsoBuysAsync()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        await host.Database.ScalarAsync<int>(
            "insert into user_roles (user_id, role_id) select $1, id from roles where name = 'customer' returning 1", manager.UserId);
        await host.Database.ScalarAsync<long>("insert into customers (user_id) values ($1) returning id", manager.UserId);
        var http = host.CreateClient();
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email = manager.Email, password = manager.Password });
        login.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    private static async Task DeliverAsync(HttpClient staff, string number)
    {
        using var shipped = await staff.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "BR123456789BR" });
        using var delivered = await staff.PostAsync($"/api/admin/orders/{number}/deliver", null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (shipped.StatusCode, delivered.StatusCode));
    }
}
