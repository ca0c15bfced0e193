using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Coupons;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Coupons;

/// <summary>Back office coupons: create, update, deactivate and usage through the grain; permissions and bad input.</summary>
public sealed class CouponAdminApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{

    [Fact]
    public async Task Admin_creates_a_coupon_with_an_upper_case_code_an_audit_row_and_a_projected_row()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/coupons", new
        {
            code = " verao10 ",
            type = "percentage",
            value = 10,
            minimumAmount = 50,
            usageLimit = 100,
            perCustomerLimit = 1,
            startsAt = "2026-01-01T00:00:00-03:00",
            expiresAt = "2030-01-01T00:00:00-03:00",
            description = "Verão",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/admin/coupons/VERAO10", response.Headers.Location?.OriginalString);
        var created = await JsonAsync(response);
        Assert.Equal(("VERAO10", "percentage", 10m, 0), (created.GetProperty("code").GetString(), created.GetProperty("type").GetString(),
            created.GetProperty("value").GetDecimal(), created.GetProperty("usedCount").GetInt32()));
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            $"select count(*) from audit_logs where action = 'coupon.create' and table_name = 'coupons' and user_id = {admin.UserId} and new_values ->> 'code' = 'VERAO10'"));
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from coupons where code = 'VERAO10' and value = 10 and minimum_amount = 50 and usage_limit = 100 and per_customer_limit = 1 and starts_at = '2026-01-01T03:00:00Z'") == 1));

        var detail = await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/verao10"));
        Assert.Equal(0, detail.GetProperty("usage").GetProperty("uses").GetInt64());
        var list = await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons?search=verao"));
        Assert.Equal("VERAO10", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Admin_updates_and_deactivates_a_coupon_and_checkout_can_no_longer_hold_it()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        await CreateAsync(admin, "OUTONO15", new { code = "OUTONO15", type = "fixed_amount", value = 15 });
        var userId = await InsertOrderAsync("OUT-1");

        using var update = await admin.Http.PutAsJsonAsync("/api/admin/coupons/OUTONO15", new { type = "fixed_amount", value = 20, usageLimit = 5 });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(20m, (await JsonAsync(update)).GetProperty("value").GetDecimal());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'coupon.update' and (old_values ->> 'value')::numeric = 15 and (new_values ->> 'value')::numeric = 20"));

        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICouponGrain>("OUTONO15");
        Assert.Equal((CouponHoldOutcome.Held, 20m), Outcome(await grain.HoldAsync(Hold("OUT-1") with { UserId = userId })));

        using var deactivate = await admin.Http.PostAsync("/api/admin/coupons/outono15/deactivate", null);
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        Assert.False((await JsonAsync(deactivate)).GetProperty("isActive").GetBoolean());
        Assert.Equal(CouponHoldOutcome.Inactive, (await grain.HoldAsync(Hold("OUT-2"))).Outcome);
        Assert.True(await grain.ConfirmAsync("OUT-1"), "a hold taken before deactivation can still be confirmed");
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from coupons where code = 'OUTONO15' and not is_active and value = 20") == 1));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'coupon.deactivate'"));
    }

    [Fact]
    public async Task Editing_a_reward_coupon_keeps_it_for_the_customer_who_redeemed_it()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var owner = await host.CreateSignedInClientAsync();
        using var stranger = await host.CreateSignedInClientAsync();
        var code = await Storefront.RedeemRewardCouponAsync(admin, owner);

        // A body without conditions (as the back office form sends it) and one with an empty list keep the customer.
        using var edited = await manager.Http.PutAsJsonAsync($"/api/admin/coupons/{code}", new { type = "fixed_amount", value = 50, usageLimit = 1 });
        using var emptied = await manager.Http.PutAsJsonAsync($"/api/admin/coupons/{code}",
            new { type = "fixed_amount", value = 50, usageLimit = 1, conditions = new { userIds = Array.Empty<long>() } });
        using var moved = await manager.Http.PutAsJsonAsync($"/api/admin/coupons/{code}",
            new { type = "fixed_amount", value = 50, usageLimit = 1, conditions = new { userIds = new[] { stranger.UserId } } });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (edited.StatusCode, emptied.StatusCode));
        Assert.Equal([owner.UserId], (await JsonAsync(emptied)).GetProperty("conditions").GetProperty("userIds").EnumerateArray().Select(u => u.GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.True((await JsonAsync(moved)).GetProperty("errors").TryGetProperty("conditions.userIds", out _));

        using var refused = await Storefront.CheckoutOneItemAsync(host, stranger.Http, 60m, code, "edited-reward-stranger");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("OtherCustomer", await refused.Content.ReadAsStringAsync());
        using var used = await Storefront.CheckoutOneItemAsync(host, owner.Http, 60m, code, "edited-reward-owner");
        Assert.Equal(HttpStatusCode.Created, used.StatusCode);
        Assert.Equal(50m, (await JsonAsync(used)).GetProperty("totals").GetProperty("discount").GetDecimal());
    }

    [Fact]
    public async Task Usage_lists_the_orders_that_confirmed_a_use_with_their_customer()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        await CreateAsync(admin, "USO5", new { code = "USO5", type = "percentage", value = 5 });
        var userId = await InsertOrderAsync("USO-1");
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICouponGrain>("USO5");
        await grain.HoldAsync(Hold("USO-1") with { UserId = userId });
        await grain.ConfirmAsync("USO-1");

        Assert.True(await Eventually.TrueAsync(async () =>
            (await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/USO5/usage"))).GetProperty("total").GetInt64() == 1));
        var usage = await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/USO5/usage"));
        var use = Assert.Single(usage.GetProperty("items").EnumerateArray());
        Assert.Equal(("USO-1", userId, "Ana Souza", 5m), (use.GetProperty("orderNumber").GetString(), use.GetProperty("userId").GetInt64(),
            use.GetProperty("name").GetString(), use.GetProperty("discountAmount").GetDecimal()));
        var detail = await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/USO5"));
        Assert.Equal((1, 1L), (detail.GetProperty("usedCount").GetInt32(), detail.GetProperty("usage").GetProperty("uses").GetInt64()));

        using var shrink = await admin.Http.PutAsJsonAsync("/api/admin/coupons/USO5", new { type = "percentage", value = 5, usageLimit = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, shrink.StatusCode);
    }

    [Fact]
    public async Task A_customer_gets_403_on_every_coupon_endpoint()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var list = await customer.Http.GetAsync("/api/admin/coupons");
        using var get = await customer.Http.GetAsync("/api/admin/coupons/MESTRES25");
        using var usage = await customer.Http.GetAsync("/api/admin/coupons/MESTRES25/usage");
        using var create = await customer.Http.PostAsJsonAsync("/api/admin/coupons", new { code = "HACK100", type = "percentage", value = 100 });
        using var update = await customer.Http.PutAsJsonAsync("/api/admin/coupons/MESTRES25", new { type = "percentage", value = 100 });
        using var deactivate = await customer.Http.PostAsync("/api/admin/coupons/MESTRES25/deactivate", null);

        Assert.All(new[] { list, get, usage, create, update, deactivate }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action like 'coupon.%' and user_id = " + customer.UserId));
        Assert.Null(await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICouponGrain>("HACK100").GetAsync());
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401()
    {
        using var response = await host.CreateClient().GetAsync("/api/admin/coupons");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"code":"NEG1","type":"fixed_amount","value":-5}""", "value")]
    [InlineData("""{"code":"PCT1","type":"percentage","value":101}""", "value")]
    [InlineData("""{"code":"DATES1","type":"percentage","value":10,"startsAt":"2027-01-01T00:00:00Z","expiresAt":"2026-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"code":"TYPE1","type":"half_price","value":10}""", "type")]
    [InlineData("""{"code":"bad code!","type":"percentage","value":10}""", "code")]
    [InlineData("""{"code":"CENTS1","type":"fixed_amount","value":10.005}""", "value")]
    [InlineData("""{"code":"LIMIT1","type":"percentage","value":10,"usageLimit":0}""", "usageLimit")]
    [InlineData("""{"code":"CAT1","type":"percentage","value":10,"conditions":{"categoryIds":[999999]}}""", "conditions.categoryIds")]
    [InlineData("""{"code":"UF1","type":"free_shipping","conditions":{"states":["São Paulo"]}}""", "conditions.states")]
    public async Task Bad_input_is_a_400_with_the_field_at_fault_and_creates_nothing(string body, string field)
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await PostRawAsync(admin, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        var code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!.ToUpperInvariant();
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'coupon.create' and new_values ->> 'code' = $1", code));
    }

    [Theory]
    [InlineData("""{"code":"DATE2","type":"percentage","value":10,"startsAt":"amanhã"}""")]
    [InlineData("""{"code":"JSON1","type":"percentage","value":""")]
    [InlineData("""{"code":"NUM1","type":"percentage","value":"dez"}""")]
    public async Task A_malformed_body_is_a_400_problem(string body)
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await PostRawAsync(admin, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Creating_an_existing_code_is_a_409_problem_and_changes_nothing()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        await CreateAsync(admin, "DUPLO10", new { code = "DUPLO10", type = "percentage", value = 10 });

        using var again = await admin.Http.PostAsJsonAsync("/api/admin/coupons", new { code = "duplo10", type = "percentage", value = 50 });
        using var seeded = await admin.Http.PostAsJsonAsync("/api/admin/coupons", new { code = "MESTRES25", type = "percentage", value = 50 });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, seeded.StatusCode);
        Assert.Equal(10m, (await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/DUPLO10"))).GetProperty("value").GetDecimal());
        Assert.Equal(25m, (await JsonAsync(await admin.Http.GetAsync("/api/admin/coupons/MESTRES25"))).GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_problem()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var get = await admin.Http.GetAsync("/api/admin/coupons/NAOEXISTE");
        using var update = await admin.Http.PutAsJsonAsync("/api/admin/coupons/NAOEXISTE", new { type = "percentage", value = 10 });
        using var deactivate = await admin.Http.PostAsync("/api/admin/coupons/NAOEXISTE/deactivate", null);

        Assert.All(new[] { get, update, deactivate }, r =>
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        });
    }

    private static async Task CreateAsync(SignedInClient admin, string code, object body)
    {
        using var response = await admin.Http.PostAsJsonAsync("/api/admin/coupons", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A customer and an order of theirs, as the order grain's projection would have written them.</summary>
    private async Task<long> InsertOrderAsync(string orderNumber)
    {
        var userId = await host.Database.ScalarAsync<long>(
            $"insert into users (email, first_name, last_name) values ('uso.{Guid.NewGuid():N}@example.com.br', 'Ana', 'Souza') returning id");
        await host.Database.ScalarAsync<long>(
            $"insert into orders (order_number, user_id, subtotal, total_amount) values ('{orderNumber}', {userId}, 100, 100) returning id");
        return userId;
    }

    private static Task<HttpResponseMessage> PostRawAsync(SignedInClient admin, string body) =>
        admin.Http.PostAsync("/api/admin/coupons", new StringContent(body, Encoding.UTF8, "application/json"));

    private static CouponHoldRequest Hold(string orderNumber) =>
        new(orderNumber, 1, [new CouponLine(1, [], 100m)], 20m, false, [], DateTimeOffset.UtcNow.AddMinutes(15));

    private static (CouponHoldOutcome, decimal) Outcome(CouponHoldResult result) => (result.Outcome, result.Discount);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
