using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Mail;
using MestresCafe.Notifications;
using Npgsql;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>The customer's choice of optional notifications, and the queueing statement that honours it.</summary>
public sealed class NotificationPreferencesTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Every_optional_category_starts_on_and_a_choice_is_kept()
    {
        using var customer = await host.CreateSignedInClientAsync();

        Assert.Equal([(NotificationCategories.Loyalty, true), (NotificationCategories.ReviewRequests, true)], await GetAsync(customer.Http));

        using var saved = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences",
            new { preferences = new object[] { new { category = "loyalty", enabled = true }, new { category = "loyalty", enabled = false } } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal([(NotificationCategories.Loyalty, false), (NotificationCategories.ReviewRequests, true)],
            Choices(await saved.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal([(NotificationCategories.Loyalty, false), (NotificationCategories.ReviewRequests, true)], await GetAsync(customer.Http));
    }

    [Fact]
    public async Task Transactional_messages_cannot_be_turned_off_and_bad_input_changes_nothing()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var anonymous = host.CreateClient();

        foreach (var body in new object[]
        {
            new { preferences = new[] { new { category = "transactional", enabled = false } } },
            new { preferences = new[] { new { category = "loyalty", enabled = false }, new { category = "promocoes", enabled = false } } },
            new { preferences = new[] { new { category = "loyalty" } } },
            new { preferences = Array.Empty<object>() },
        })
        {
            using var refused = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from notification_preferences where user_id = $1", customer.UserId));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/notification-preferences")).StatusCode);
    }

    [Fact]
    public async Task Queueing_skips_an_optional_category_the_customer_turned_off_but_never_a_transactional_message()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using (var saved = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences",
            new { preferences = new[] { new { category = "loyalty", enabled = false } } }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        var loyalty = await EnqueueAsync(customer.UserId, NotificationCategories.Loyalty);
        var review = await EnqueueAsync(customer.UserId, NotificationCategories.ReviewRequests);
        var order = await EnqueueAsync(customer.UserId, NotificationCategories.Transactional);

        Assert.Equal(0, await QueuedAsync(loyalty));
        Assert.Equal(1, await QueuedAsync(review));
        Assert.Equal(1, await QueuedAsync(order));
    }

    [Fact]
    public async Task Reading_a_notification_marks_the_message_read_in_the_customers_history()
    {
        using var customer = await host.CreateSignedInClientAsync();
        var messageIds = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var notices = new List<long>();
        foreach (var messageId in messageIds)
        {
            await host.Database.ScalarAsync<int>(
                """
                insert into customer_communications (customer_id, type, channel, subject, direction, sent_at, message_id)
                values ($1, 'transactional', 'email', 'Pedido recebido', 'outbound', now(), $2) returning 1
                """, customer.CustomerId!.Value, messageId);
            notices.Add(await host.Database.ScalarAsync<long>(
                "insert into notifications (user_id, type, title, event_id) values ($1, 'order_status', 'Pedido recebido', $2) returning id",
                customer.UserId, messageId));
        }

        using (var read = await customer.Http.PostAsync($"/api/me/notifications/{notices[0]}/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        Assert.Equal(1, await ReadInHistoryAsync(messageIds));
        using (var all = await customer.Http.PostAsync("/api/me/notifications/read-all", null))
        {
            Assert.Equal(2, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("marked").GetInt32());
        }

        Assert.Equal(3, await ReadInHistoryAsync(messageIds));
        Assert.True(await host.Database.ScalarAsync<bool>(
            "select c.read_at = n.read_at from customer_communications c join notifications n on n.event_id = c.message_id where c.message_id = $1",
            messageIds[0]));
    }

    private async Task<Guid> EnqueueAsync(long userId, string category)
    {
        var request = new OutboundMessageRequest(Guid.NewGuid(), "registration_attempt", userId, "{}") { Category = category };
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { OutboundMessageSql.Enqueue(request) } };
        await batch.ExecuteNonQueryAsync();
        return request.MessageId;
    }

    private Task<long> QueuedAsync(Guid messageId) =>
        host.Database.ScalarAsync<long>("select count(*) from outbound_messages where message_id = $1", messageId);

    private Task<long> ReadInHistoryAsync(Guid[] messageIds) =>
        host.Database.ScalarAsync<long>("select count(*) from customer_communications where message_id = any($1) and read_at is not null", messageIds);

    private static async Task<(string, bool)[]> GetAsync(HttpClient http) =>
        Choices(await http.GetFromJsonAsync<JsonElement>("/api/me/notification-preferences"));

    private static (string, bool)[] Choices(JsonElement body) =>
        body.GetProperty("preferences").EnumerateArray().Select(p => (p.GetProperty("category").GetString()!, p.GetProperty("enabled").GetBoolean())).ToArray();
}
