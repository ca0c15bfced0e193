using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Mail;

public sealed class MyNotificationsApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_customer_pages_through_their_own_notifications_with_the_unread_count()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        for (var i = 1; i <= 3; i++)
        {
            await AddAsync(customer.UserId, $"Aviso {i}", createdMinutesAgo: 10 - i);
        }

        await AddAsync(other.UserId, "Aviso de outra pessoa", createdMinutesAgo: 1);
        await host.Database.ScalarAsync<int>(
            "insert into notifications (user_id, type, title, data, expires_at) values ($1, 'security', 'Vencido', '{\"sealed_link\": \"x\"}', now() - interval '1 minute') returning 1",
            customer.UserId);

        var first = await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/notifications?pageSize=2");
        var second = await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/notifications?pageSize=2&page=2");

        Assert.Equal(["Aviso 3", "Aviso 2"], Titles(first));
        Assert.Equal(["Aviso 1"], Titles(second));
        Assert.Equal((3, 3), (first.GetProperty("total").GetInt32(), first.GetProperty("unread").GetInt32()));
        Assert.False(first.GetProperty("items")[0].TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Marking_read_counts_down_and_never_reaches_another_customers_notification()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        var mine = await AddAsync(customer.UserId, "Meu", createdMinutesAgo: 2);
        await AddAsync(customer.UserId, "Meu também", createdMinutesAgo: 1);
        var theirs = await AddAsync(other.UserId, "Deles", createdMinutesAgo: 1);

        using (var read = await customer.Http.PostAsync($"/api/me/notifications/{mine}/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        using (var notMine = await customer.Http.PostAsync($"/api/me/notifications/{theirs}/read", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        }

        Assert.Equal(1, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/notifications")).GetProperty("unread").GetInt32());
        using var all = await customer.Http.PostAsync("/api/me/notifications/read-all", null);
        Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("marked").GetInt32());
        Assert.Equal(0, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/notifications")).GetProperty("unread").GetInt32());
        Assert.False(await host.Database.ScalarAsync<bool>("select is_read from notifications where id = $1", theirs));
    }

    [Fact]
    public async Task Bad_paging_is_a_validation_problem_and_strangers_are_turned_away()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var anonymous = host.CreateClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await customer.Http.GetAsync("/api/me/notifications?pageSize=0")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/notifications")).StatusCode);
    }

    private Task<long> AddAsync(long userId, string title, int createdMinutesAgo) =>
        host.Database.ScalarAsync<long>(
            "insert into notifications (user_id, type, title, content, created_at) values ($1, 'order_status', $2, 'texto', now() - make_interval(mins => $3)) returning id",
            userId, title, createdMinutesAgo);

    private static string[] Titles(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();
}
