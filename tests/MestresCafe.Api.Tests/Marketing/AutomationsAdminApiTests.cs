using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Marketing;
using MestresCafe.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>The automations' back office: the seeded three with funnels, pause and resume, a checked and audited edit.</summary>
public sealed class AutomationsAdminApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task The_three_seeded_automations_are_listed_active_with_their_funnels()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");

        var list = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/automations");

        var seeded = list.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a);
        Assert.Equal("cart_abandoned", seeded["Carrinho abandonado"].GetProperty("triggerType").GetString());
        Assert.Equal("customer_signup", seeded["Boas-vindas"].GetProperty("triggerType").GetString());
        Assert.Equal("back_in_stock", seeded["Avise-me quando chegar"].GetProperty("triggerType").GetString());
        Assert.All(seeded.Values, a =>
        {
            Assert.True(a.GetProperty("isActive").GetBoolean());
            Assert.True(a.TryGetProperty("triggered", out _) && a.TryGetProperty("sent", out _) && a.TryGetProperty("converted", out _));
        });
    }

    [Fact]
    public async Task A_paused_automation_starts_nothing_and_once_resumed_counts_only_what_happens_after()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var welcome = await AutomationAsync(manager, "Boas-vindas");
        using (var paused = await manager.Http.PostAsync($"/api/admin/automations/{welcome}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.False((await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isActive").GetBoolean());
        }

        using var customer = await host.CreateSignedInClientAsync();
        using (var consent = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "email_marketing", granted = true } } }))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }

        await RunEngineAsync();
        Assert.Equal(0L, await WelcomeExecutionsAsync(customer.UserId));

        using (var resumed = await manager.Http.PostAsync($"/api/admin/automations/{welcome}/resume", null))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        // The sign-up happened while paused: resuming does not reach back to it.
        await RunEngineAsync();
        Assert.Equal(0L, await WelcomeExecutionsAsync(customer.UserId));
        Assert.Equal(["automation.pause", "automation.resume"], await AuditActionsAsync(welcome, manager.UserId));

        using var missing = await manager.Http.PostAsync("/api/admin/automations/999999/pause", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_edit_is_checked_part_by_part_then_saved_and_audited()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var stock = await AutomationAsync(manager, "Avise-me quando chegar");

        using (var wrong = await PutAsync(manager, stock, "Avise-me quando chegar", "back_in_stock", new { idle_hours = 3 },
                   new object[] { new { action = "wait", days = 0 }, new { action = "send_sms" } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["actionSequence[0].days", "actionSequence[1].action", "triggerConditions.idle_hours"],
                errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        }

        using (var unknownTemplate = await PutAsync(manager, stock, "Avise-me quando chegar", "back_in_stock", new { },
                   new object[] { new { action = "send_email", template = "nao_existe" } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownTemplate.StatusCode);
            Assert.True((await unknownTemplate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("actionSequence[0].template", out _));
        }

        using (var taken = await PutAsync(manager, stock, "Boas-vindas", "back_in_stock", new { },
                   new object[] { new { action = "send_email", template = "automation_back_in_stock_reminder" } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }

        using (var saved = await PutAsync(manager, stock, "Avise-me quando chegar", "back_in_stock", new { conversion_days = 3 },
                   new object[] { new { action = "wait", hours = 12 }, new { action = "send_email", template = "automation_back_in_stock_reminder" } }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(12, body.GetProperty("actionSequence")[0].GetProperty("hours").GetInt32());
        }

        Assert.Equal(["automation.update"], await AuditActionsAsync(stock, manager.UserId));
        using var customer = await host.CreateSignedInClientAsync();
        using var forbidden = await customer.Http.GetAsync("/api/admin/automations");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<long> AutomationAsync(SignedInClient manager, string name) =>
        (await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/automations")).EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    private static Task<HttpResponseMessage> PutAsync(SignedInClient manager, long id, string name, string triggerType, object conditions, object[] actions) =>
        manager.Http.PutAsJsonAsync($"/api/admin/automations/{id}", new { name, triggerType, triggerConditions = conditions, actionSequence = actions });

    private Task<int> RunEngineAsync() => host.Services.GetRequiredService<AutomationEngine>().RunOnceAsync(CancellationToken.None);

    private Task<long> WelcomeExecutionsAsync(long userId) =>
        host.Database.ScalarAsync<long>(
            """
            select count(*) from automation_executions e join customers c on c.id = e.customer_id
            join marketing_automations a on a.id = e.automation_id and a.name = 'Boas-vindas'
            where c.user_id = $1
            """, userId);

    private async Task<string[]> AuditActionsAsync(long automationId, long userId) =>
        (await host.Database.ScalarAsync<string[]>(
            "select coalesce(array_agg(action order by id), '{}') from audit_logs where table_name = 'marketing_automations' and record_id = $1 and user_id = $2",
            automationId, userId));
}
