using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Settings;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Settings;
using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using MestresCafe.Payments;
using MestresCafe.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Api.Tests.Settings;

/// <summary>
/// Live settings: the table as configuration, the back office's changes (checked, audited), and a
/// change on one server reaching another through the Redis broadcast alone (its poll is an hour).
/// </summary>
public sealed class LiveSettingsTests(LiveSettingsTests.Fixture fixture) : IClassFixture<LiveSettingsTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ApiTestHost ServerA { get; } = new ApiTestHost().WithoutDemoData();
        public IHost ServerB { get; private set; } = null!;
        public SignedInClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await ServerA.InitializeAsync();
            Admin = await ServerA.CreateSignedInClientAsync("admin");
            ServerB = await StartSecondServerAsync();
        }

        /// <summary>Another server's live settings: its own configuration, options, Redis connection and subscription.</summary>
        private async Task<IHost> StartSecondServerAsync()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
                ["Redis:KeyPrefix"] = ServerA.RedisKeyPrefix,
                ["Settings:PollEvery"] = "01:00:00",
            });
            builder.AddMestresSettings();
            builder.AddMestresRedis();
            builder.Services.AddSingleton(NpgsqlDataSource.Create(ServerA.Database.ConnectionString));
            builder.Services.AddOptions<OrderOptions>().Bind(builder.Configuration.GetSection(OrderOptions.Section));
            var host = builder.Build();
            await host.StartAsync();
            return host;
        }

        public async Task DisposeAsync()
        {
            Admin.Dispose();
            await ServerB.StopAsync();
            ServerB.Dispose();
            await ServerA.DisposeAsync();
        }
    }

    private HttpClient Admin => fixture.Admin.Http;

    [Fact]
    public async Task A_change_on_one_server_is_in_force_on_another_within_seconds()
    {
        var serverB = fixture.ServerB.Services.GetRequiredService<IOptionsMonitor<OrderOptions>>();
        Assert.Equal(TimeSpan.FromDays(30), serverB.CurrentValue.ReturnWindow);

        using var response = await Admin.PutAsJsonAsync("/api/admin/settings/returns.window_days", new { value = 14 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("14", view.GetProperty("value").GetString());
        Assert.Equal("14.00:00:00", view.GetProperty("inForce").GetString());
        Assert.Equal(TimeSpan.FromDays(14), fixture.ServerA.Services.GetRequiredService<IOptionsMonitor<OrderOptions>>().CurrentValue.ReturnWindow);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(serverB.CurrentValue.ReturnWindow == TimeSpan.FromDays(14)), TimeSpan.FromSeconds(10)),
            "server B still has the old return window");
    }

    [Fact]
    public async Task The_migrated_table_holds_the_values_the_code_ran_on()
    {
        var services = fixture.ServerA.Services;
        var rows = await services.GetRequiredService<SettingsStore>().ListAsync(CancellationToken.None);
        Assert.All(SettingCatalog.All, d => Assert.Contains(rows, r => r.Key == d.Key));
        // Other tests of this class change returns.window_days and shipping.sedex_price.

        var shipping = services.GetRequiredService<IOptionsMonitor<ShippingPrices>>().CurrentValue;
        Assert.Equal((new ShippingPrices().Pac, new ShippingPrices().FreePacFrom), (shipping.Pac, shipping.FreePacFrom));
        var holds = services.GetRequiredService<IOptionsMonitor<StockHoldOptions>>().CurrentValue;
        var defaultHolds = new StockHoldOptions();
        Assert.Equal((defaultHolds.MaxUnitsPerOrderLine, defaultHolds.MaxUnitsPerCustomer, defaultHolds.BoletoStockHold), (holds.MaxUnitsPerOrderLine, holds.MaxUnitsPerCustomer, holds.BoletoStockHold));
        var payments = services.GetRequiredService<IOptionsMonitor<PaymentOptions>>().CurrentValue;
        var defaultPayments = new PaymentOptions();
        Assert.Equal((defaultPayments.PixWindow, defaultPayments.CardWindow, defaultPayments.BoletoWindow), (payments.PixWindow, payments.CardWindow, payments.BoletoWindow));
        var accounts = services.GetRequiredService<IOptionsMonitor<AccountOptions>>().CurrentValue;
        var defaultAccounts = new AccountOptions();
        Assert.Equal(
            (defaultAccounts.PasswordResetLifetime, defaultAccounts.Lockout.AccountThreshold, defaultAccounts.Lockout.IpThreshold, defaultAccounts.Lockout.BaseDuration, defaultAccounts.Lockout.MaxDuration),
            (accounts.PasswordResetLifetime, accounts.Lockout.AccountThreshold, accounts.Lockout.IpThreshold, accounts.Lockout.BaseDuration, accounts.Lockout.MaxDuration));
        // Every live setting is applied from the table, none left to a default by a bad row.
        var inForce = services.GetRequiredService<LiveSettings>().InForce;
        Assert.All(SettingCatalog.All, d => Assert.True(inForce.ContainsKey(d.ConfigurationPath), d.Key));
    }

    [Theory]
    [InlineData("returns.window_days", "3")]            // below the CDC's 7 days
    [InlineData("shipping.sedex_price", "\"34,90\"")]   // a comma
    [InlineData("security.max_login_attempts", "\"cinco\"")]
    [InlineData("checkout.max_quantity_per_item", "50")] // above the 20 a customer's unpaid orders may hold
    public async Task A_bad_value_is_refused_with_422_and_nothing_changes(string key, string json)
    {
        var before = await StoredAsync(key);
        var audits = await AuditCountAsync(key);

        using var response = await Admin.PutAsync($"/api/admin/settings/{key}", JsonContent.Create(new { value = JsonDocument.Parse(json).RootElement }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("value", out _));
        Assert.Equal(before, await StoredAsync(key));
        Assert.Equal(audits, await AuditCountAsync(key));
    }

    [Fact]
    public async Task A_change_is_audited_with_the_old_and_new_values()
    {
        using var response = await Admin.PutAsJsonAsync("/api/admin/settings/shipping.sedex_price", new { value = "39.90" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var audit = await fixture.ServerA.Database.ScalarAsync<string>(
            "select old_values::text || ' ' || new_values::text || ' ' || user_id from audit_logs where action = 'setting.update' and new_values->>'key' = 'shipping.sedex_price'");
        Assert.Equal($$"""{"key": "shipping.sedex_price", "value": "34.90"} {"key": "shipping.sedex_price", "value": "39.90"} {{fixture.Admin.UserId}}""", audit);
        Assert.Equal(39.90m, fixture.ServerA.Services.GetRequiredService<IOptionsMonitor<ShippingPrices>>().CurrentValue.Sedex);
    }

    [Fact]
    public async Task Unknown_keys_are_404_secrets_cannot_be_stored_and_staff_without_the_permission_get_403()
    {
        using var unknown = await Admin.PutAsJsonAsync("/api/admin/settings/payments.webhook_secret", new { value = "x" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.ServerA.Database.ScalarAsync<int>(
            "insert into system_configurations (key, value) values ('mail.smtp.password', 'x') returning 1"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);

        using var manager = await fixture.ServerA.CreateSignedInClientAsync("manager");
        using var forbidden = await manager.Http.GetAsync("/api/admin/settings");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var list = await Admin.GetFromJsonAsync<JsonElement>("/api/admin/settings");
        var window = list.EnumerateArray().Single(s => s.GetProperty("key").GetString() == "returns.window_days");
        Assert.True(window.GetProperty("live").GetBoolean());
        Assert.Equal(7m, window.GetProperty("min").GetDecimal());
    }

    [Fact]
    public void The_rules_follow_each_type_and_the_related_keys()
    {
        var current = new Dictionary<string, string?> { ["stock_holds.max_units_per_customer"] = "20", ["checkout.max_quantity_per_item"] = "10" };

        Assert.Null(SettingRules.Check("checkout.max_quantity_per_item", SettingType.Integer, "20", current));
        Assert.NotNull(SettingRules.Check("checkout.max_quantity_per_item", SettingType.Integer, "21", current));
        Assert.NotNull(SettingRules.Check("stock_holds.max_units_per_customer", SettingType.Integer, "9", current));
        Assert.Null(SettingRules.Check("store.name", SettingType.String, "Mestres", current));
        Assert.NotNull(SettingRules.Check("tax.included_in_prices", SettingType.Boolean, "yes", current));
        Assert.NotNull(SettingRules.Check("shipping.methods", SettingType.Json, "[{", current));
        Assert.NotNull(SettingRules.Check("shipping.pac_price", SettingType.Decimal, "+5", current));

        var refused = new List<string>();
        var applied = SettingRules.ToConfiguration(
            new Dictionary<string, string?> { ["returns.window_days"] = "2", ["payments.pix_expiry_minutes"] = "45", ["store.name"] = "x" },
            (key, _) => refused.Add(key));
        Assert.Equal(new[] { "returns.window_days" }, refused);
        Assert.Equal(new Dictionary<string, string?> { ["Payments:PixWindow"] = "00:45:00" }, applied);
    }

    private Task<string> StoredAsync(string key) =>
        fixture.ServerA.Database.ScalarAsync<string>("select value from system_configurations where key = $1", key);

    private Task<long> AuditCountAsync(string key) =>
        fixture.ServerA.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'system_configurations' and new_values->>'key' = $1", key);
}
