using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Mail;
using MestresCafe.Grains.Loyalty;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>Delivery and the review request that waits, a return's steps, and loyalty's messages: each once, from its event, over real SMTP.</summary>
public sealed class LifecycleMailTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task Delivery_mails_at_once_and_queues_the_review_request_for_days_later_which_goes_when_due()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var manager = await Host.CreateSignedInClientAsync("manager");
        var sku = await Host.NewItemAsync(stock: 10, price: 40m);
        var number = await Host.PlacePaidOrderAsync(customer.Http, sku, 1, "mail-deliver-" + Guid.NewGuid().ToString("N")[..8]);
        await DeliverAsync(manager.Http, number);

        await WaitForAsync(customer.Email, $"O pedido {number} foi entregue");
        // Due five days after the delivery (the default), waiting in the queue rather than in any server's memory.
        Assert.True(await Host.Database.ScalarAsync<bool>(
            """
            select m.status = 'pending' and abs(extract(epoch from m.next_attempt_at - (o.delivered_at + interval '5 days'))) < 1
            from outbound_messages m join orders o on o.order_number = m.data->'order'->>'number'
            where m.template = 'review_request' and m.user_id = $1
            """, customer.UserId),
            await Host.Database.ScalarAsync<string>(
                "select string_agg(template || ' ' || status || ' ' || next_attempt_at::text, '; ') from outbound_messages where user_id = $1", customer.UserId));

        // The days pass.
        await Host.Database.ScalarAsync<int>("update outbound_messages set next_attempt_at = now() where template = 'review_request' and user_id = $1 returning 1", customer.UserId);
        var review = await WaitForAsync(customer.Email, $"O que achou do pedido {number}?");
        Assert.Contains($"Item {sku}", review.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/conta/pedidos/{number}", review.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_who_turned_review_requests_off_gets_the_delivery_mail_only()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var manager = await Host.CreateSignedInClientAsync("manager");
        using (var off = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences",
            new { preferences = new[] { new { category = "review_requests", enabled = false } } }))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }

        var sku = await Host.NewItemAsync(stock: 10, price: 40m);
        var number = await Host.PlacePaidOrderAsync(customer.Http, sku, 1, "mail-noreview-" + Guid.NewGuid().ToString("N")[..8]);
        await DeliverAsync(manager.Http, number);

        await WaitForAsync(customer.Email, $"O pedido {number} foi entregue");
        Assert.Equal(0, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where template = 'review_request' and user_id = $1", customer.UserId));
    }

    [Fact]
    public async Task Each_step_of_a_return_is_mailed_once_and_its_refund_is_told_as_the_returns()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var manager = await Host.CreateSignedInClientAsync("manager");
        var sku = await Host.NewItemAsync(stock: 10, price: 80m);
        var number = await Host.PlacePaidOrderAsync(customer.Http, sku, 2, "mail-return-" + Guid.NewGuid().ToString("N")[..8]);
        await DeliverAsync(manager.Http, number);
        using var requested = await customer.Http.PostAsJsonAsync($"/api/orders/{number}/returns", new { sku, quantity = 1, reason = "damaged" });
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        var returnId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returns")[0].GetProperty("returnId").GetString();
        foreach (var step in new[] { "approve", "receive", "refund" })
        {
            using var done = await manager.Http.PostAsync($"/api/admin/orders/{number}/returns/{returnId}/{step}", null);
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var asked = await WaitForAsync(customer.Email, $"Recebemos o seu pedido de devolução: pedido {number}");
        Assert.Contains($"1 × Item {sku}", asked.TextBody, StringComparison.Ordinal);
        await WaitForAsync(customer.Email, $"Devolução aprovada: pedido {number}");
        await WaitForAsync(customer.Email, $"Devolução reembolsada: R$\u00a080,00 do pedido {number}");
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where user_id = $1 and status <> 'sent'", customer.UserId) == 1));
        // Received, confirmed, shipped, delivered, requested, approved, refunded; the review request waits; no plain refund mail.
        Assert.Equal(7, fixture.Mail.MessagesTo(customer.Email).Count);
        Assert.DoesNotContain(fixture.Mail.MessagesTo(customer.Email), m => m.Subject?.StartsWith("Reembolso de", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_tier_change_and_a_reward_are_mailed_once_however_often_projected_unless_loyalty_mail_is_off()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var quiet = await Host.CreateSignedInClientAsync();
        await Host.Database.ScalarAsync<int>(
            "insert into notification_preferences (user_id, category, enabled) values ($1, 'loyalty', false) returning 1", quiet.UserId);
        var projection = ActivatorUtilities.CreateInstance<LoyaltyProjection>(Host.Services);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var programId = await Host.Database.ScalarAsync<long>("insert into loyalty_programs (name, type) values ($1, 'tiered') returning id", "Programa " + suffix);
        var rewardId = await Host.Database.ScalarAsync<long>(
            "insert into rewards (name, type, points_required) values ($1, 'free_shipping', 500) returning id", "Frete grátis " + suffix);
        var account = new LoyaltyState { ProgramId = programId, Tier = "prata", Balance = 1250, Earned = 1750, Redeemed = 500, JoinedAt = DateTimeOffset.UtcNow, LastActivity = DateTimeOffset.UtcNow, Version = 3 };
        var redemption = new Redemption
        {
            RedemptionId = Guid.NewGuid(), RewardId = rewardId, Points = 500, CouponCode = "RW-TESTE123", Status = "issued",
            RedeemedAt = DateTimeOffset.UtcNow, ExpiresAt = new DateTimeOffset(2027, 3, 1, 15, 0, 0, TimeSpan.Zero),
        };
        account.Redemptions.Add(redemption);
        LoyaltyEvent[] events =
        [
            new TierChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, "bronze", "prata"),
            new RedemptionChanged(Guid.NewGuid(), DateTimeOffset.UtcNow, redemption.RedemptionId, "Frete grátis"),
        ];

        foreach (var userId in new[] { customer.UserId, quiet.UserId, customer.UserId })
        {
            await projection.ApplyAsync(userId, account, events, CancellationToken.None);
        }

        var tier = await WaitForAsync(customer.Email, "Seu nível no programa de fidelidade agora é prata");
        Assert.Contains("do nível bronze para o nível prata", tier.TextBody, StringComparison.Ordinal);
        var reward = await WaitForAsync(customer.Email, "Sua recompensa chegou: Frete grátis");
        Assert.Contains("RW-TESTE123", reward.TextBody, StringComparison.Ordinal);
        Assert.Contains("01/03/2027", reward.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, await Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where user_id = $1", customer.UserId));
        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where user_id = $1", quiet.UserId));
        // The in-app notices are the projection's own, one each.
        Assert.Equal(2, await Host.Database.ScalarAsync<long>("select count(*) from notifications where user_id = $1", customer.UserId));
    }

    private static async Task DeliverAsync(HttpClient staff, string number)
    {
        using var shipped = await staff.PostAsJsonAsync($"/api/admin/orders/{number}/ship", new { trackingNumber = "BR123456789BR" });
        using var delivered = await staff.PostAsync($"/api/admin/orders/{number}/deliver", null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (shipped.StatusCode, delivered.StatusCode));
    }

    private async Task<MimeMessage> WaitForAsync(string recipient, string subject)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(recipient).Any(m => m.Subject == subject)), TimeSpan.FromSeconds(30)),
            $"no message '{subject}' to {recipient}; got: {string.Join(" | ", fixture.Mail.MessagesTo(recipient).Select(m => m.Subject))}");
        return Assert.Single(fixture.Mail.MessagesTo(recipient), m => m.Subject == subject);
    }
}
