using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Payments;

/// <summary>
/// Checkout with the payment method's terms, in the same class (and test host) as the settings
/// tests: the card's installments and the Pix discount as the order and its rows show them. The
/// expected plan is the one payment-options offers for the same total, whatever the card's
/// settings are when the test runs.
/// </summary>
public sealed partial class PaymentMethodsAdminTests
{
    [Fact]
    public async Task A_card_order_in_installments_with_interest_shows_its_plan_is_charged_it_and_a_cancellation_refunds_all_of_it()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await host.NewItemAsync(stock: 5, price: 100m);
        await AddToCartAsync(customer.Http, sku, 3);
        var offered = Method(await OptionsAsync(customer.Http, 300m), "credit_card").GetProperty("installments").EnumerateArray().Last();
        var count = offered.GetProperty("count").GetInt32();
        var interest = offered.GetProperty("interest").GetDecimal();
        Assert.True(interest > 0m, "The card's settings offer a count with interest for R$ 300.");

        using var checkout = await CheckoutWithAsync(customer.Http, "card-" + Guid.NewGuid().ToString("N")[..10], "credit_card", count);
        var order = await checkout.JsonAsync(HttpStatusCode.Created);
        var number = order.GetProperty("orderNumber").GetString()!;

        var plan = order.GetProperty("installments");
        Assert.Equal((count, offered.GetProperty("firstInstallment").GetDecimal(), offered.GetProperty("installment").GetDecimal(), offered.GetProperty("total").GetDecimal()),
            (plan.GetProperty("count").GetInt32(), plan.GetProperty("firstInstallment").GetDecimal(), plan.GetProperty("installment").GetDecimal(), plan.GetProperty("total").GetDecimal()));
        var total = 300m + interest;
        Assert.Equal((total, interest), (order.GetProperty("totals").GetProperty("total").GetDecimal(), order.GetProperty("totals").GetProperty("interest").GetDecimal()));
        Assert.Equal(total, order.GetProperty("payment").GetProperty("amount").GetDecimal());
        var adjustment = Assert.Single(order.GetProperty("adjustments").EnumerateArray());
        Assert.Equal(("card_interest", interest), (adjustment.GetProperty("kind").GetString(), adjustment.GetProperty("amount").GetDecimal()));

        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from orders where order_number = $1 and total_amount = $2 and interest_amount = $3 and installments = $4",
            number, total, interest, (short)count) == 1));

        using var captured = await host.PostWebhookAsync(number, order, "payment.captured", "evt_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
        using var cancelled = await customer.Http.PostAsync($"/api/orders/{number}/cancel", null);
        var afterCancel = await cancelled.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(total, afterCancel.GetProperty("payment").GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task A_pix_order_shows_its_discount_as_a_line_of_its_own_and_the_rows_add_up()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await host.NewItemAsync(stock: 5, price: 120m);
        await AddToCartAsync(customer.Http, sku, 2);
        var pix = Method(await OptionsAsync(customer.Http, 240m), "pix");
        var discount = pix.GetProperty("discount").GetDecimal();
        Assert.True(discount > 0m, "The demo Pix has a discount.");

        using var checkout = await CheckoutWithAsync(customer.Http, "pix-" + Guid.NewGuid().ToString("N")[..10], "pix", null);
        var order = await checkout.JsonAsync(HttpStatusCode.Created);

        Assert.Equal((240m - discount, discount), (order.GetProperty("totals").GetProperty("total").GetDecimal(), order.GetProperty("totals").GetProperty("paymentDiscount").GetDecimal()));
        var adjustment = Assert.Single(order.GetProperty("adjustments").EnumerateArray());
        Assert.Equal(("pix_discount", -discount), (adjustment.GetProperty("kind").GetString(), adjustment.GetProperty("amount").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, order.GetProperty("installments").ValueKind);
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from orders o join payments p on p.order_id = o.id where o.order_number = $1 and o.payment_discount_amount = $2 and o.total_amount = $3 and p.amount = $3",
            order.GetProperty("orderNumber").GetString()!, discount, 240m - discount) == 1));
    }

    [Fact]
    public async Task Installments_the_settings_do_not_offer_are_a_422_and_the_stock_is_given_back()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var sku = await host.NewItemAsync(stock: 5, price: 40m);
        await AddToCartAsync(customer.Http, sku, 1);

        using var tooMany = await CheckoutWithAsync(customer.Http, "many-" + Guid.NewGuid().ToString("N")[..10], "credit_card", 24);
        using var pixInInstallments = await CheckoutWithAsync(customer.Http, "pixn-" + Guid.NewGuid().ToString("N")[..10], "pix", 2);

        var problem = await tooMany.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.GetProperty("reason").GetString(), new[] { "InstallmentsNotOffered", "BelowMinimumInstallment" });
        Assert.Equal(HttpStatusCode.BadRequest, pixInInstallments.StatusCode);
        Assert.Equal(5, await AvailableAsync(customer.Http, sku));
    }

    private static Task<HttpResponseMessage> CheckoutWithAsync(HttpClient http, string key, string paymentMethod, int? installments)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new { shippingAddress = Address, paymentMethod, cardToken = "tok_visa", installments }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }
}
