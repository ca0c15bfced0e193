using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Loyalty;

/// <summary>Back-office editing of the program, rewards and achievements: checked, audited, and followed by running accounts.</summary>
public sealed class LoyaltyDefinitionsAdminTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Rules =
        """{"points_per_brl": 1, "earn_on": "paid", "tiers": [{"name": "Bronze", "min_points": 0, "multiplier": 1.0}, {"name": "Prata", "min_points": PRATA, "multiplier": 1.25}], "window_months": 12, "points_expire_months": 24}""";

    // One manager for every case: signing in costs a deliberate password hash.
    private static readonly (string Url, string Body)[] MalformedDefinitions =
    [
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"points_per_brl": 1, "bonus": 5}}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"earn_on": "shipped"}}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"tiers": [{"name": "Prata", "min_points": 100, "multiplier": 1.5}]}}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"tiers": [{"name": "Bronze", "min_points": 0, "multiplier": -1}]}}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"tiers": [{"name": "A", "min_points": 0}, {"name": "a", "min_points": 5}]}}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": [1, 2]}"""),
        ("/api/admin/loyalty/programs", """{"name": "X", "rules": {"window_months": "doze"}}"""),
        ("/api/admin/loyalty/rewards", """{"name": "X", "type": "discount", "pointsRequired": 10, "discountValue": 5, "discountType": "fixed_amount", "conditions": {"valid_days": 0}}"""),
        ("/api/admin/loyalty/rewards", """{"name": "X", "type": "voucher", "pointsRequired": 10}"""),
        ("/api/admin/loyalty/rewards", """{"name": "X", "type": "experience", "pointsRequired": 0}"""),
        ("/api/admin/loyalty/achievements", """{"name": "X", "type": "purchase", "criteria": {"gte": 3}}"""),
        ("/api/admin/loyalty/achievements", """{"name": "X", "type": "purchase", "criteria": {"metric": "paid_orders", "gte": 3, "gt": 2}}"""),
        ("/api/admin/loyalty/achievements", """{"name": "X", "type": "purchase", "criteria": {"metric": "paid_orders", "gte": 3, "within": "1y"}}"""),
        ("/api/admin/loyalty/achievements", """{"name": "X", "type": "purchase"}"""),
    ];

    [Fact]
    public async Task Malformed_definitions_get_400_and_write_nothing()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var audits = await AuditCountAsync();

        foreach (var (url, body) in MalformedDefinitions)
        {
            using var response = await manager.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0L, await host.Database.ScalarAsync<long>(
            "select (select count(*) from loyalty_programs where name = 'X') + (select count(*) from rewards where name = 'X') + (select count(*) from achievements where name = 'X')"));
        Assert.Equal(audits, await AuditCountAsync());
    }

    // The generic back-office handlers take their body as a type parameter; this proves the built-in
    // validation still checks it ([ValidatableType]) on both POST and PATCH, before the handler writes.
    [Fact]
    public async Task A_bad_reward_is_refused_by_its_annotations_on_create_and_on_update()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var created = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/rewards", new { name = "Frete grátis de teste", type = "free_shipping", pointsRequired = 100 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rewardId = (await created.JsonAsync()).GetProperty("id").GetInt64();
        var audits = await AuditCountAsync();

        using var create = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/rewards", new { name = "X", type = "discount", pointsRequired = 0, discountType = "half" });
        using var update = await manager.Http.PatchAsJsonAsync($"/api/admin/loyalty/rewards/{rewardId}", new { pointsRequired = 0, conditions = new { valid_days = 0 } });
        using var missing = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/rewards", new { name = "X" });

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        var createErrors = (await create.JsonAsync()).GetProperty("errors");
        Assert.Equal("From 1 to 10000000.", createErrors.GetProperty("pointsRequired")[0].GetString());
        Assert.Equal("percentage or fixed_amount.", createErrors.GetProperty("discountType")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal("From 1 to 10000000.", (await update.JsonAsync()).GetProperty("errors").GetProperty("pointsRequired")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["pointsRequired", "type"], (await missing.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(100, await host.Database.ScalarAsync<int>($"select points_required from rewards where id = {rewardId}"));
        Assert.Equal(audits, await AuditCountAsync());
    }

    [Fact]
    public async Task Bad_criteria_are_refused_on_update_under_their_field()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var created = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/achievements",
            new { name = "Cinco pedidos", type = "purchase", criteria = new { metric = "paid_orders", gte = 5 } });
        var achievementId = (await created.JsonAsync()).GetProperty("id").GetInt64();

        using var update = await manager.Http.PatchAsJsonAsync($"/api/admin/loyalty/achievements/{achievementId}", new { criteria = new { metric = "paid_orders", within = "1y" } });

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        var criteria = (await update.JsonAsync()).GetProperty("errors").GetProperty("criteria").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("within: not a criterion (metric, gte or gt, event, attribute).", criteria);
        Assert.Contains("gte or gt: exactly one target.", criteria);
    }

    [Fact]
    public async Task Customers_cannot_edit_definitions_and_a_second_active_program_is_a_conflict()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");

        using var forbidden = await customer.Http.PostAsJsonAsync("/api/admin/loyalty/achievements",
            new { name = "Minha", type = "purchase", criteria = new { metric = "paid_orders", gte = 1 } });
        using var second = await manager.Http.PostAsync("/api/admin/loyalty/programs",
            new StringContent($$"""{"name": "Outro programa", "rules": {{Rules.Replace("PRATA", "10")}}}""", Encoding.UTF8, "application/json"));
        using var inactive = await manager.Http.PostAsync("/api/admin/loyalty/programs",
            new StringContent($$"""{"name": "Programa futuro", "isActive": false, "rules": {{Rules.Replace("PRATA", "10")}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, inactive.StatusCode);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("select count(*) from loyalty_programs where is_active"));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("select count(*) from loyalty_programs where name = 'Outro programa'"));
    }

    [Fact]
    public async Task A_rule_change_is_audited_and_reaches_an_account_that_is_already_running()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");
        var me = await customer.Http.GetJsonAsync("/api/loyalty/me");
        Assert.Equal(("Prata", 1000), (me.GetProperty("nextTier").GetString(), me.GetProperty("pointsToNextTier").GetInt32()));
        var programId = await host.Database.ScalarAsync<long>("select id from loyalty_programs where is_active");

        using var changed = await manager.Http.PatchAsync($"/api/admin/loyalty/programs/{programId}",
            new StringContent($$"""{"rules": {{Rules.Replace("PRATA", "200")}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(200, (await changed.JsonAsync()).GetProperty("rules").GetProperty("tiers")[1].GetProperty("min_points").GetInt32());
        Assert.Equal("1000:200", await host.Database.ScalarAsync<string>(
            """
            select (old_values #>> '{rules,tiers,1,min_points}') || ':' || (new_values #>> '{rules,tiers,1,min_points}')
            from audit_logs where action = 'loyalty.program.update' and table_name = 'loyalty_programs' and record_id = $1
            """, programId));
        Assert.True(await Eventually.TrueAsync(async () =>
                (await customer.Http.GetJsonAsync("/api/loyalty/me")).GetProperty("pointsToNextTier").GetInt32() == 200),
            "the running account still applies the old tiers");
    }

    [Fact]
    public async Task Rewards_and_achievements_are_created_changed_and_deactivated_with_an_audit_row_each()
    {
        using var customer = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");

        using var createdReward = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/rewards", new
        {
            name = "Desconto de R$ 5",
            type = "discount",
            pointsRequired = 250,
            discountValue = 5m,
            discountType = "fixed_amount",
            conditions = new { valid_days = 30, minimum_amount = 20m },
        });
        Assert.Equal(HttpStatusCode.Created, createdReward.StatusCode);
        var rewardId = (await createdReward.JsonAsync()).GetProperty("id").GetInt64();
        using var changedReward = await manager.Http.PatchAsJsonAsync($"/api/admin/loyalty/rewards/{rewardId}", new { pointsRequired = 300 });
        Assert.Equal(300, (await changedReward.JsonAsync()).GetProperty("pointsRequired").GetInt32());
        Assert.Contains(await RewardIdsAsync(customer), id => id == rewardId);
        using var deactivatedReward = await manager.Http.DeleteAsync($"/api/admin/loyalty/rewards/{rewardId}");
        Assert.False((await deactivatedReward.JsonAsync()).GetProperty("isActive").GetBoolean());
        Assert.DoesNotContain(await RewardIdsAsync(customer), id => id == rewardId);

        using var createdAchievement = await manager.Http.PostAsJsonAsync("/api/admin/loyalty/achievements",
            new { name = "Três pedidos", type = "purchase", criteria = new { @event = "order_paid", metric = "paid_orders", gte = 3 }, pointsReward = 30 });
        Assert.Equal(HttpStatusCode.Created, createdAchievement.StatusCode);
        var achievementId = (await createdAchievement.JsonAsync()).GetProperty("id").GetInt64();
        Assert.True(await Eventually.TrueAsync(async () => await HasAchievementAsync(customer, "Três pedidos")), "a new achievement did not reach the account");
        using var deactivated = await manager.Http.DeleteAsync($"/api/admin/loyalty/achievements/{achievementId}");
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.True(await Eventually.TrueAsync(async () => !await HasAchievementAsync(customer, "Três pedidos")), "a deactivated achievement is still offered");

        Assert.Equal("loyalty.reward.create,loyalty.reward.update,loyalty.reward.deactivate", await AuditTrailAsync("rewards", rewardId));
        Assert.Equal("loyalty.achievement.create,loyalty.achievement.deactivate", await AuditTrailAsync("achievements", achievementId));
        Assert.Equal("250:300", await host.Database.ScalarAsync<string>(
            "select (old_values->>'points_required') || ':' || (new_values->>'points_required') from audit_logs where action = 'loyalty.reward.update' and record_id = $1", rewardId));
    }

    private Task<long> AuditCountAsync() => host.Database.ScalarAsync<long>("select count(*) from audit_logs");

    private Task<string> AuditTrailAsync(string table, long id) => host.Database.ScalarAsync<string>(
        "select string_agg(action, ',' order by id) from audit_logs where table_name = $1 and record_id = $2", table, id);

    private static async Task<List<long>> RewardIdsAsync(SignedInClient customer) =>
        (await customer.Http.GetJsonAsync("/api/loyalty/rewards")).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();

    private static async Task<bool> HasAchievementAsync(SignedInClient customer, string name) =>
        (await customer.Http.GetJsonAsync("/api/loyalty/achievements")).EnumerateArray().Any(a => a.GetProperty("name").GetString() == name);
}
