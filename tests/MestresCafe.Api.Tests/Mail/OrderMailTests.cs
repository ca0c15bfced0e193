using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Mail;
using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>The customer's order e-mails, each caused once by its domain event and delivered once over SMTP.</summary>
public sealed class OrderMailTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_pix_order_sends_its_code_then_one_confirmation_however_often_the_webhook_is_retried()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        var sku = await Host.NewItemAsync(stock: 10, price: 45.50m);
        var order = await PlaceOrderAsync(customer.Http, sku, 2, "mail-pix-" + Guid.NewGuid().ToString("N")[..8], paymentMethod: "pix");
        var number = order.GetProperty("orderNumber").GetString()!;
        var pixCode = order.GetProperty("payment").GetProperty("pixCode").GetString()!;

        var received = await WaitForAsync(customer.Email, $"Recebemos o seu pedido {number}");
        Assert.Contains(pixCode, received.TextBody, StringComparison.Ordinal);
        Assert.Contains(pixCode, received.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("2 × ", received.TextBody, StringComparison.Ordinal);

        const string eventId = "evt_mail_capture";
        for (var i = 0; i < 3; i++)
        {
            using var captured = await Host.PostWebhookAsync(number, order, "payment.captured", eventId + number);
            Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
        }

        await WaitForAsync(customer.Email, $"Pagamento confirmado: pedido {number}");
        await AssertAllSentAsync(customer.UserId);
        Assert.Equal(2, fixture.Mail.MessagesTo(customer.Email).Count);
        // Each message sent is in the customer's history and their in-app notifications.
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from customer_communications where customer_id = $1 and channel = 'email' and direction = 'outbound' and sent_at is not null",
            customer.CustomerId!.Value));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from notifications where user_id = $1 and type in ('order_status', 'payment')", customer.UserId));
    }

    [Fact]
    public async Task A_boleto_order_sends_its_line_and_an_expired_payment_says_so_once()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        var sku = await Host.NewItemAsync(stock: 10);
        var order = await PlaceOrderAsync(customer.Http, sku, 1, "mail-boleto-" + Guid.NewGuid().ToString("N")[..8], paymentMethod: "boleto");
        var number = order.GetProperty("orderNumber").GetString()!;
        var line = order.GetProperty("payment").GetProperty("boletoLine").GetString()!;

        var received = await WaitForAsync(customer.Email, $"Recebemos o seu pedido {number}");
        Assert.Contains(line, received.TextBody, StringComparison.Ordinal);

        for (var i = 0; i < 2; i++)
        {
            using var expired = await Host.PostWebhookAsync(number, order, "payment.expired", "evt_mail_expired" + number);
            Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        }

        var expiredMail = await WaitForAsync(customer.Email, $"O prazo de pagamento do pedido {number} acabou");
        Assert.Contains("nada foi cobrado", expiredMail.TextBody, StringComparison.Ordinal);
        await AssertAllSentAsync(customer.UserId);
        Assert.Equal(2, fixture.Mail.MessagesTo(customer.Email).Count);
    }

    [Fact]
    public async Task Shipping_and_a_refund_each_send_one_message_with_their_figures()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var manager = await Host.CreateSignedInClientAsync("manager");
        var sku = await Host.NewItemAsync(stock: 10, price: 60m);
        var number = await Host.PlacePaidOrderAsync(customer.Http, sku, 1, "mail-ship-" + Guid.NewGuid().ToString("N")[..8]);

        using (var shipped = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "QB123456789BR" }))
        {
            Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        }

        using (var refunded = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{number}/refund", new { amount = 12.34m, reason = "customer_request" }))
        {
            Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        }

        var shippedMail = await WaitForAsync(customer.Email, $"O pedido {number} saiu para entrega");
        Assert.Contains("QB123456789BR", shippedMail.TextBody, StringComparison.Ordinal);
        var refundMail = await WaitForAsync(customer.Email, $"Reembolso de R$\u00a012,34 do pedido {number}");
        Assert.Contains("R$\u00a012,34", refundMail.TextBody, StringComparison.Ordinal);
        await AssertAllSentAsync(customer.UserId);
        // Received, confirmed (the card captured), shipped, refunded: one each.
        Assert.Equal(4, fixture.Mail.MessagesTo(customer.Email).Count);
        Assert.Equal(4, fixture.Mail.MessagesTo(customer.Email).Select(m => m.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Projecting_the_same_events_again_queues_no_second_message()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        var projection = ActivatorUtilities.CreateInstance<OrderProjection>(Host.Services);
        var number = "MC-REPLAY-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var state = new OrderState { Exists = true, UserId = customer.UserId, Status = OrderStatus.Paid, CreatedAt = DateTimeOffset.UtcNow, Version = 2 };
        OrderEvent[] events =
        [
            new OrderPlaced(Guid.NewGuid(), DateTimeOffset.UtcNow),
            new OrderStatusChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, OrderStatus.AwaitingPayment, OrderStatus.Paid, null, null),
        ];

        // What a server that died after the projection's commit and before trimming its outbox does on the next activation.
        await projection.ApplyAsync(number, state, events, CancellationToken.None);
        await projection.ApplyAsync(number, state, events, CancellationToken.None);

        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where user_id = $1 and data->'order'->>'number' = $2", customer.UserId, number));
        Assert.Equal(1, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = $1", OutboundMessageIds.For(events[0].EventId, OrderMailFeed.OrderReceived)));
    }

    private async Task<MimeMessage> WaitForAsync(string recipient, string subject)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(recipient).Any(m => m.Subject == subject)), TimeSpan.FromSeconds(30)),
            $"no message '{subject}' to {recipient}; got: {string.Join(" | ", fixture.Mail.MessagesTo(recipient).Select(m => m.Subject))}");
        return Assert.Single(fixture.Mail.MessagesTo(recipient), m => m.Subject == subject);
    }

    /// <summary>Nothing of the customer's is still queued, so a count of what was delivered is final.</summary>
    private async Task AssertAllSentAsync(long userId) =>
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where user_id = $1 and status <> 'sent'", userId) == 0, TimeSpan.FromSeconds(30)));
}
