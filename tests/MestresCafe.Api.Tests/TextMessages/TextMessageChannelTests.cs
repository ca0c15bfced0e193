using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Mail;
using MestresCafe.Data.TextMessages;
using MestresCafe.Payments;
using MestresCafe.Testing;
using Npgsql;

namespace MestresCafe.Api.Tests.TextMessages;

/// <summary>One server whose text sender posts to a fake provider on loopback, retrying fast.</summary>
public sealed class TextProviderHostFixture : IAsyncLifetime
{
    public const string ApiKey = "test-text-provider-key";
    public const string ReceiptSecret = "test-text-receipt-secret-0123456789abcdef-not-for-production";

    public FakeTextProvider Provider { get; private set; } = null!;
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await FakeTextProvider.StartAsync();
        Host = new ApiTestHost()
            .With("RateLimits:Enabled", "false")
            .With("TextMessages:Enabled", "true")
            .With("TextMessages:Provider", "Http")
            .With("TextMessages:Http:Endpoint", Provider.Endpoint.ToString())
            .With("TextMessages:Http:ApiKey", ApiKey)
            .With("TextMessages:WebhookSecret", ReceiptSecret)
            .With("TextMessages:PollInterval", "00:00:00.050")
            .With("TextMessages:RetryFirstDelay", "00:00:00.050")
            .With("TextMessages:RetryMaxDelay", "00:00:00.200")
            .With("TextMessages:MaxAttempts", "3");
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// The SMS/WhatsApp channel end to end: the customer's choice, the text queued beside the e-mail by
/// the same statement, the HTTP provider's calls, retries and dead letters, and the signed receipts.
/// </summary>
public sealed class TextMessageChannelTests(TextProviderHostFixture fixture) : IClassFixture<TextProviderHostFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_customer_who_chose_sms_gets_the_text_once_through_the_provider_beside_the_email()
    {
        var (customer, phone) = await CustomerWithPhoneAsync("sms");
        var request = OrderReceived(customer.UserId, "MC-TXT-1");

        await EnqueueAsync(request);
        await EnqueueAsync(request); // a replayed event queues nothing more

        var text = OutboundMessageIdsText(request.MessageId);
        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(text) == "sent"));
        var call = Assert.Single(fixture.Provider.CallsTo(phone));
        Assert.Equal("Bearer " + TextProviderHostFixture.ApiKey, call.Authorization);
        Assert.Equal(text.ToString("N"), call.IdempotencyKey);
        Assert.Equal("sms", call.Channel);
        Assert.Contains("Pedido MC-TXT-1 recebido", call.Body, StringComparison.Ordinal);
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = any($1)", new[] { request.MessageId, text }));
        Assert.StartsWith("fake-", await Host.Database.ScalarAsync<string>("select provider_message_id from outbound_messages where message_id = $1", text));
        Assert.Equal(1, await Host.Database.ScalarAsync<long>(
            "select count(*) from customer_communications where message_id = $1 and channel = 'sms' and customer_id = $2", text, customer.CustomerId!.Value));
    }

    [Fact]
    public async Task Without_a_choice_or_for_a_message_without_a_short_notice_only_the_email_is_queued()
    {
        using var emailOnly = await Host.CreateSignedInClientAsync();
        await Host.Database.ScalarAsync<int>("update users set phone = '+5511999990000' where id = $1 returning 1", emailOnly.UserId);
        var plain = OrderReceived(emailOnly.UserId, "MC-TXT-2");
        await EnqueueAsync(plain);

        var (chose, _) = await CustomerWithPhoneAsync("whatsapp");
        var noNotice = new OutboundMessageRequest(Guid.NewGuid(), "registration_attempt", chose.UserId, "{}");
        await EnqueueAsync(noNotice);

        Assert.Equal(0, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = any($1)", new[] { OutboundMessageIdsText(plain.MessageId), OutboundMessageIdsText(noNotice.MessageId) }));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = any($1) and channel = 'email'", new[] { plain.MessageId, noNotice.MessageId }));
    }

    [Fact]
    public async Task A_passing_failure_is_retried_with_backoff_and_a_refusal_or_too_many_failures_is_dead_lettered()
    {
        var (flaky, flakyPhone) = await CustomerWithPhoneAsync("sms");
        var (refused, refusedPhone) = await CustomerWithPhoneAsync("sms");
        var (down, downPhone) = await CustomerWithPhoneAsync("whatsapp");
        fixture.Provider.Script(flakyPhone, 503, 429, 200);
        fixture.Provider.Script(refusedPhone, 400);
        fixture.Provider.Script(downPhone, 503);

        var flakyText = OutboundMessageIdsText((await EnqueueAsync(OrderReceived(flaky.UserId, "MC-TXT-3"))).MessageId);
        var refusedText = OutboundMessageIdsText((await EnqueueAsync(OrderReceived(refused.UserId, "MC-TXT-4"))).MessageId);
        var downText = OutboundMessageIdsText((await EnqueueAsync(OrderReceived(down.UserId, "MC-TXT-5"))).MessageId);

        Assert.True(await Eventually.TrueAsync(async () =>
            await StatusAsync(flakyText) == "sent" && await StatusAsync(refusedText) == "failed" && await StatusAsync(downText) == "failed"));
        Assert.Equal(3, fixture.Provider.CallsTo(flakyPhone).Count);
        Assert.Equal(3, await AttemptsAsync(flakyText));
        Assert.Single(fixture.Provider.CallsTo(refusedPhone));
        Assert.StartsWith("400 ", await Host.Database.ScalarAsync<string>("select smtp_reply from outbound_messages where message_id = $1", refusedText));
        Assert.Equal(3, fixture.Provider.CallsTo(downPhone).Count); // MaxAttempts, then given up
        Assert.Equal(3, await AttemptsAsync(downText));

        // The dead letter is in the back office's list and can be queued again.
        using var staff = await Host.CreateSignedInClientAsync("admin");
        var id = await Host.Database.ScalarAsync<long>("select id from outbound_messages where message_id = $1", downText);
        var failed = await staff.Http.GetFromJsonAsync<JsonElement>($"/api/admin/mail/messages/{id}");
        Assert.Equal("whatsapp", failed.GetProperty("message").GetProperty("channel").GetString());
        fixture.Provider.Script(downPhone, 200);
        using (var retry = await staff.Http.PostAsync($"/api/admin/mail/messages/{id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(downText) == "sent"));
    }

    [Fact]
    public async Task Receipts_are_signed_applied_once_and_only_move_a_message_forward()
    {
        var (customer, _) = await CustomerWithPhoneAsync("sms");
        var text = OutboundMessageIdsText((await EnqueueAsync(OrderReceived(customer.UserId, "MC-TXT-6"))).MessageId);
        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(text) == "sent"));
        var providerId = await Host.Database.ScalarAsync<string>("select provider_message_id from outbound_messages where message_id = $1", text);
        using var client = Host.CreateClient();

        var delivered = Receipt("evt-" + Guid.NewGuid(), providerId, "delivered");
        Assert.Equal("applied", await PostReceiptAsync(client, delivered));
        Assert.Equal("duplicate", await PostReceiptAsync(client, delivered));
        Assert.Equal("delivered", await DeliveryStatusAsync(text));

        Assert.Equal("applied", await PostReceiptAsync(client, Receipt("evt-" + Guid.NewGuid(), providerId, "read")));
        Assert.Equal("stale", await PostReceiptAsync(client, Receipt("evt-" + Guid.NewGuid(), providerId, "delivered")));
        Assert.Equal("stale", await PostReceiptAsync(client, Receipt("evt-" + Guid.NewGuid(), providerId, "undelivered")));
        Assert.Equal("read", await DeliveryStatusAsync(text));
        Assert.True(await Host.Database.ScalarAsync<bool>("select read_at is not null from customer_communications where message_id = $1", text));
        Assert.Equal("unknown", await PostReceiptAsync(client, Receipt("evt-" + Guid.NewGuid(), "no-such-message", "delivered")));
        Assert.Equal(4, await Host.Database.ScalarAsync<long>("select count(*) from text_message_receipts where provider_message_id = $1", providerId));
    }

    [Fact]
    public async Task An_unsigned_or_malformed_receipt_is_refused_and_recorded_nowhere()
    {
        using var client = Host.CreateClient();
        var before = await Host.Database.ScalarAsync<long>("select count(*) from text_message_receipts");

        var body = Receipt("evt-bad-signature", "x", "delivered");
        using var forged = new StringContent(body, Encoding.UTF8, "application/json");
        forged.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign("not-the-secret-0123456789abcdef-0123456789", DateTimeOffset.UtcNow, body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/notifications/webhooks/text-receipts", forged)).StatusCode);

        foreach (var malformed in new[] { "{}", "not json", Receipt("evt-bad-status", "x", "bounced"), Receipt("", "x", "delivered") })
        {
            using var response = await client.PostAsync("/api/notifications/webhooks/text-receipts", Signed(malformed));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(before, await Host.Database.ScalarAsync<long>("select count(*) from text_message_receipts"));
    }

    [Fact]
    public async Task Choosing_a_text_channel_needs_a_phone_and_a_known_channel()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        const string Route = "/api/me/notification-preferences/text-channel";

        using (var noPhone = await customer.Http.PutAsJsonAsync(Route, new { channel = "sms" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noPhone.StatusCode);
        }

        await Host.Database.ScalarAsync<int>("update users set phone = '+5511988887777' where id = $1 returning 1", customer.UserId);
        using (var unknown = await customer.Http.PutAsJsonAsync(Route, new { channel = "pombo" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from text_message_preferences where user_id = $1", customer.UserId));
        using (var chosen = await customer.Http.PutAsJsonAsync(Route, new { channel = "whatsapp" }))
        {
            var body = await chosen.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("whatsapp", "+5511988887777"), (body.GetProperty("channel").GetString(), body.GetProperty("phone").GetString()));
        }

        using (var off = await customer.Http.PutAsJsonAsync(Route, new { channel = (string?)null }))
        {
            Assert.Equal(JsonValueKind.Null, (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("channel").ValueKind);
        }

        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from text_message_preferences where user_id = $1", customer.UserId));
    }

    [Fact]
    public async Task The_simulated_provider_accepts_a_message_id_once()
    {
        var store = new SimulatedTextMessageStore(Host.Database.DataSource);
        var messageId = Guid.NewGuid();
        var first = await store.AcceptAsync(messageId, "sms", "+5511911112222", "Mestres Café: teste", CancellationToken.None);
        var again = await store.AcceptAsync(messageId, "sms", "+5511911112222", "Mestres Café: teste", CancellationToken.None);
        Assert.Equal(first, again);
        Assert.Equal(1, await Host.Database.ScalarAsync<long>("select count(*) from simulated_text_messages where message_id = $1", messageId));
    }

    private async Task<(SignedInClient Customer, string Phone)> CustomerWithPhoneAsync(string channel)
    {
        var customer = await Host.CreateSignedInClientAsync();
        var phone = "+55119" + Random.Shared.Next(10_000_000, 99_999_999);
        await Host.Database.ScalarAsync<int>("update users set phone = $2 where id = $1 returning 1", customer.UserId, phone);
        using var chosen = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences/text-channel", new { channel });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        return (customer, phone);
    }

    private static OutboundMessageRequest OrderReceived(long userId, string number) =>
        new(Guid.NewGuid(), "order_received", userId, JsonSerializer.Serialize(new { order = new { number, total = 129.9m, items = Array.Empty<object>() } }));

    private async Task<OutboundMessageRequest> EnqueueAsync(OutboundMessageRequest request)
    {
        await using var connection = await Host.Database.DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { OutboundMessageSql.Enqueue(request) } };
        await batch.ExecuteNonQueryAsync();
        return request;
    }

    /// <summary>The text's id as the queueing statement derives it (<see cref="OutboundMessageSql.TextMessageId"/>).</summary>
    private static Guid OutboundMessageIdsText(Guid emailMessageId) =>
        new(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(emailMessageId.ToString("D") + ":text")), bigEndian: true);

    private Task<string> StatusAsync(Guid messageId) =>
        Host.Database.ScalarAsync<string>("select coalesce((select status from outbound_messages where message_id = $1), 'absent')", messageId);

    private Task<string> DeliveryStatusAsync(Guid messageId) =>
        Host.Database.ScalarAsync<string>("select coalesce(delivery_status, 'none') from outbound_messages where message_id = $1", messageId);

    private Task<int> AttemptsAsync(Guid messageId) =>
        Host.Database.ScalarAsync<int>("select attempts from outbound_messages where message_id = $1", messageId);

    private static string Receipt(string id, string messageId, string status) =>
        JsonSerializer.Serialize(new { id, messageId, status, occurredAt = DateTimeOffset.UtcNow });

    private static StringContent Signed(string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(TextProviderHostFixture.ReceiptSecret, DateTimeOffset.UtcNow, body));
        return content;
    }

    private static async Task<string> PostReceiptAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/api/notifications/webhooks/text-receipts", Signed(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }
}
