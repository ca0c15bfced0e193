using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;

namespace MestresCafe.Api.Tests.Payments;

/// <summary>
/// /api/admin/payment-methods and /api/checkout/payment-options: staff change a method's terms,
/// audited, and the options (read through the cache) show the change at once. Each test changes
/// one method of the demo store (Pix 5%, card 6x interest-free from R$ 30, boleto 3 days).
/// </summary>
public sealed partial class PaymentMethodsAdminTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Base = "/api/admin/payment-methods";

    [Fact]
    public async Task Card_installment_settings_are_changed_audited_and_the_options_show_the_new_table_at_once()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var card = await MethodIdAsync(admin.Http, "credit_card");
        // Read once, so that the old settings sit in the cache before the change.
        Assert.True(Method(await OptionsAsync(admin.Http, 300m), "credit_card").GetProperty("available").GetBoolean());

        using var changed = await admin.Http.PatchAsJsonAsync($"{Base}/{card}", new
        {
            configuration = new { max_installments = 12, interest_free_installments = 3, monthly_interest_rate = 1.99m, min_installment_amount = 10m },
        });
        var view = await changed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal((12, 3, 1.99m), (view.GetProperty("configuration").GetProperty("max_installments").GetInt32(),
            view.GetProperty("configuration").GetProperty("interest_free_installments").GetInt32(),
            view.GetProperty("configuration").GetProperty("monthly_interest_rate").GetDecimal()));
        // The keys the back office does not manage stay as they were.
        Assert.Equal("visa", await host.Database.ScalarAsync<string>("select configuration->'brands'->>0 from payment_methods where id = $1", card));

        var table = Method(await OptionsAsync(admin.Http, 300m), "credit_card").GetProperty("installments").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 12), table.Select(p => p.GetProperty("count").GetInt32()));
        Assert.Equal((300m, 0m), (table[2].GetProperty("total").GetDecimal(), table[2].GetProperty("interest").GetDecimal()));
        Assert.Equal((315.07m, 78.79m, 78.76m), (table[3].GetProperty("total").GetDecimal(),
            table[3].GetProperty("firstInstallment").GetDecimal(), table[3].GetProperty("installment").GetDecimal()));

        Assert.Equal("payments.payment_method.update", await host.Database.ScalarAsync<string>(
            "select string_agg(action, ',') from audit_logs where table_name = 'payment_methods' and record_id = $1 and user_id = $2", card, admin.UserId));
    }

    [Fact]
    public async Task A_disabled_method_and_one_whose_limits_exclude_the_total_are_not_offered()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var boleto = await MethodIdAsync(admin.Http, "boleto");
        var pix = await MethodIdAsync(admin.Http, "pix");
        Assert.True(Method(await OptionsAsync(admin.Http, 100m), "boleto").GetProperty("available").GetBoolean());

        using var disabled = await admin.Http.PatchAsJsonAsync($"{Base}/{boleto}", new { isActive = false, sortOrder = 9 });
        using var limited = await admin.Http.PatchAsJsonAsync($"{Base}/{pix}", new { configuration = new { min_order_amount = 20m, max_order_amount = 5000m } });
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (disabled.StatusCode, limited.StatusCode));

        var small = await OptionsAsync(admin.Http, 19.99m);
        Assert.DoesNotContain(small.GetProperty("methods").EnumerateArray(), m => m.GetProperty("method").GetString() == "boleto");
        var pixOption = Method(small, "pix");
        Assert.False(pixOption.GetProperty("available").GetBoolean());
        Assert.Contains("20.00", pixOption.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(Method(await OptionsAsync(admin.Http, 20m), "pix").GetProperty("available").GetBoolean());

        // A null in the merge patch removes the setting.
        using var unlimited = await admin.Http.PatchAsJsonAsync($"{Base}/{pix}", JsonDocument.Parse("""{"configuration":{"min_order_amount":null,"max_order_amount":null}}""").RootElement);
        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        Assert.True(Method(await OptionsAsync(admin.Http, 19.99m), "pix").GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task The_pix_price_takes_the_discount_off_the_merchandise_only()
    {
        var options = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/checkout/payment-options?total=219.90&shipping=19.90");
        var pix = Method(options, "pix");

        Assert.Equal((10.00m, 209.90m), (pix.GetProperty("discount").GetDecimal(), pix.GetProperty("price").GetDecimal()));
        Assert.Equal(219.90m, options.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Settings_that_do_not_fit_the_method_are_a_422_by_key_and_nothing_changes()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var pix = await MethodIdAsync(admin.Http, "pix");
        var card = await MethodIdAsync(admin.Http, "credit_card");
        var before = await host.Database.ScalarAsync<string>("select string_agg(configuration::text || is_active::text, '|' order by id) from payment_methods");

        using var installmentsOnPix = await admin.Http.PatchAsJsonAsync($"{Base}/{pix}", new { configuration = new { max_installments = 3 } });
        using var tooManyFree = await admin.Http.PatchAsJsonAsync($"{Base}/{card}", new { configuration = new { max_installments = 4, interest_free_installments = 5 } });
        using var wrongKind = await admin.Http.PatchAsJsonAsync($"{Base}/{card}", new { configuration = new { max_installments = "doze" } });
        using var disableDefault = await admin.Http.PatchAsJsonAsync($"{Base}/{pix}", new { isActive = false });
        using var unknown = await admin.Http.PatchAsJsonAsync($"{Base}/999999", new { isActive = false });

        Assert.Equal(["configuration.max_installments"], await ErrorKeysAsync(installmentsOnPix));
        Assert.Equal(["configuration.interest_free_installments"], await ErrorKeysAsync(tooManyFree));
        Assert.Equal(["configuration.max_installments"], await ErrorKeysAsync(wrongKind));
        Assert.Equal(["isActive"], await ErrorKeysAsync(disableDefault));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await host.Database.ScalarAsync<string>("select string_agg(configuration::text || is_active::text, '|' order by id) from payment_methods"));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'payment_methods' and user_id = $1", admin.UserId));
    }

    [Fact]
    public async Task Support_staff_see_the_methods_but_cannot_change_them()
    {
        using var support = await host.CreateSignedInClientAsync("support");

        using var list = await support.Http.GetAsync(Base);
        using var change = await support.Http.PatchAsJsonAsync($"{Base}/1", new { isActive = false });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (list.StatusCode, change.StatusCode));
    }

    private static async Task<long> MethodIdAsync(HttpClient admin, string type) =>
        (await admin.GetFromJsonAsync<JsonElement>(Base)).EnumerateArray().First(m => m.GetProperty("type").GetString() == type).GetProperty("id").GetInt64();

    private static async Task<JsonElement> OptionsAsync(HttpClient http, decimal total) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/checkout/payment-options?total={total.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    private static JsonElement Method(JsonElement options, string method) =>
        options.GetProperty("methods").EnumerateArray().FirstOrDefault(m => m.GetProperty("method").GetString() == method);

    private static async Task<IEnumerable<string>> ErrorKeysAsync(HttpResponseMessage response) =>
        (await response.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
}
