using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Marketing;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Mail;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>
/// The seeded abandoned-cart automation over real SMTP and PostgreSQL, its hours moved by a fake
/// clock: one reminder per abandoned cart however often and on however many engines it runs, none
/// for a cart bought first, nothing more once bought or once consent is withdrawn.
/// </summary>
public sealed class AbandonedCartAutomationTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private const string ReminderSubject = "seus cafés ainda estão no carrinho";

    // The customers here also sign up, which starts the welcome automation: count the cart's executions only.
    private const string CartAutomation = "join marketing_automations a on a.id = e.automation_id and a.trigger_type = 'cart_abandoned'";
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task An_abandoned_cart_gets_exactly_one_reminder_however_many_engines_run_at_once()
    {
        var (clock, customer, sku) = await CustomerWithCartAsync();
        using var signedIn = customer;

        clock.Advance(TimeSpan.FromHours(2));
        await RunEnginesAsync(clock, 1);
        Assert.Equal(0, await ExecutionsAsync(customer));

        clock.Advance(TimeSpan.FromHours(1.1));
        // Two engines at once, as two servers would, then again: one execution, one reminder.
        await RunEnginesAsync(clock, 2);
        await RunEnginesAsync(clock, 1);

        var reminder = Assert.Single(await WaitForRemindersAsync(customer.Email, 1));
        Assert.Contains($"1 × Item {sku}", reminder.TextBody, StringComparison.Ordinal);
        // One unsubscribe link in each body (the layout's footer; the template no longer has its
        // own), and the one-click headers of every marketing e-mail.
        Assert.Equal(1, Occurrences(reminder.HtmlBody, MarketingLinks.UnsubscribePagePath));
        Assert.Equal(1, Occurrences(reminder.TextBody, MarketingLinks.UnsubscribePagePath));
        Assert.DoesNotContain("Não quer mais receber ofertas", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains(MarketingLinks.UnsubscribeApiPath, reminder.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", reminder.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(1, await ExecutionsAsync(customer));
        Assert.Equal(1L, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where user_id = $1 and template = 'automation_abandoned_cart'", customer.UserId));
        // The next step waits a day in the execution's row, not in any server's memory.
        Assert.Equal("waiting", await CartExecutionAsync<string>("e.status", customer));
    }

    [Fact]
    public async Task A_day_later_the_second_reminder_carries_a_single_use_coupon_for_this_customer_only()
    {
        var (clock, customer, _) = await RemindedCustomerAsync();
        using var signedIn = customer;

        clock.Advance(TimeSpan.FromDays(1));
        await RunEnginesAsync(clock, 2);

        var second = (await WaitForRemindersAsync(customer.Email, 2))[1];
        var code = await CartExecutionAsync<string>("e.execution_data->'vars'->'coupon'->>'code'", customer);
        Assert.Contains($"use o cupom {code} até", second.TextBody, StringComparison.Ordinal);
        Assert.Equal("completed", await CartExecutionAsync<string>("e.status", customer));
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<bool>(
            "select usage_limit = 1 and per_customer_limit = 1 and conditions->'user_ids' = jsonb_build_array($2::bigint) from coupons where code = $1",
            code, customer.UserId)), "the coupon is single-use and bound to the customer");
    }

    [Fact]
    public async Task A_cart_bought_before_it_counts_as_abandoned_gets_no_reminder()
    {
        var (clock, customer, sku) = await CustomerWithCartAsync();
        using var signedIn = customer;

        clock.Advance(TimeSpan.FromHours(1));
        await RunEnginesAsync(clock, 1);
        await BuyAsync(customer, sku);
        clock.Advance(TimeSpan.FromHours(5));
        await RunEnginesAsync(clock, 1);

        Assert.Equal(0, await ExecutionsAsync(customer));
        Assert.Equal(0L, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where user_id = $1 and template like 'automation%'", customer.UserId));
    }

    [Fact]
    public async Task Buying_after_the_reminder_stops_the_execution_and_counts_as_its_conversion()
    {
        using var manager = await Host.CreateSignedInClientAsync("manager");
        var before = await CartFunnelAsync(manager);
        var (clock, customer, sku) = await RemindedCustomerAsync();
        using var signedIn = customer;

        await BuyAsync(customer, sku);
        clock.Advance(TimeSpan.FromDays(2));
        await RunEnginesAsync(clock, 1);

        var execution = await ExecutionAsync(manager, before.GetProperty("id").GetInt64(), customer);
        Assert.Equal("cancelled", execution.GetProperty("status").GetString());
        Assert.Equal("ordered", execution.GetProperty("stopReason").GetString());
        // The reminder, then the wait; no coupon and no second e-mail.
        Assert.Equal(["send_email", "wait"], execution.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
        Assert.Single(Reminders(customer.Email));
        var after = await CartFunnelAsync(manager);
        Assert.Equal(
            (before.GetProperty("triggered").GetInt32() + 1, before.GetProperty("sent").GetInt32() + 1, before.GetProperty("converted").GetInt32() + 1),
            (after.GetProperty("triggered").GetInt32(), after.GetProperty("sent").GetInt32(), after.GetProperty("converted").GetInt32()));
    }

    [Fact]
    public async Task Withdrawing_marketing_consent_stops_the_execution_before_its_next_step()
    {
        var (clock, customer, _) = await RemindedCustomerAsync();
        using var signedIn = customer;

        await SetConsentAsync(customer, false);
        clock.Advance(TimeSpan.FromDays(2));
        await RunEnginesAsync(clock, 1);

        Assert.Equal("consent_withdrawn", await CartExecutionAsync<string>("e.execution_data->>'stop_reason'", customer));
        // The reminder and the wait only: no coupon issued, no second e-mail.
        Assert.Equal(2, await CartExecutionAsync<int>("jsonb_array_length(e.execution_data->'steps')", customer));
        Assert.Single(Reminders(customer.Email));
    }

    /// <summary>A customer with e-mail marketing consent and an item in the cart, and a fake clock from now.</summary>
    private async Task<(FakeTimeProvider Clock, SignedInClient Customer, string Sku)> CustomerWithCartAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var customer = await Host.CreateSignedInClientAsync();
        await SetConsentAsync(customer, true);
        var sku = await Host.NewItemAsync(stock: 10, price: 60m);
        await FillCartAsync(customer, sku);
        return (clock, customer, sku);
    }

    /// <summary>Such a customer whose cart was left past the idle hours and who got the first reminder.</summary>
    private async Task<(FakeTimeProvider Clock, SignedInClient Customer, string Sku)> RemindedCustomerAsync()
    {
        var (clock, customer, sku) = await CustomerWithCartAsync();
        clock.Advance(TimeSpan.FromHours(3.1));
        await RunEnginesAsync(clock, 1);
        await WaitForRemindersAsync(customer.Email, 1);
        return (clock, customer, sku);
    }

    /// <summary>A value of the customer's cart execution.</summary>
    private Task<T> CartExecutionAsync<T>(string expression, SignedInClient customer) =>
        Host.Database.ScalarAsync<T>(
            $"select {expression} from automation_executions e join customers c on c.id = e.customer_id {CartAutomation} where c.user_id = $1", customer.UserId);

    private static async Task SetConsentAsync(SignedInClient customer, bool granted)
    {
        using var response = await customer.Http.PutAsJsonAsync("/api/me/consents",
            new { consents = new[] { new { purpose = "email_marketing", granted } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Puts the item in the cart and waits until the cart's rows say so (the trigger reads them).</summary>
    private async Task FillCartAsync(SignedInClient customer, string sku)
    {
        await AddToCartAsync(customer.Http, sku, 1);
        Assert.True(await Eventually.TrueAsync(async () =>
            await Host.Database.ScalarAsync<long>("select count(*) from shopping_cart where user_id = $1", customer.UserId) == 1));
    }

    /// <summary>Checks the cart out and pays, then waits until the order and the emptied cart are projected.</summary>
    private async Task BuyAsync(SignedInClient customer, string sku)
    {
        await Host.PlacePaidOrderAsync(customer.Http, sku, 1, "automation-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<bool>(
            """
            select exists (select 1 from orders where user_id = $1 and paid_at is not null)
               and not exists (select 1 from shopping_cart where user_id = $1)
            """, customer.UserId)));
    }

    /// <summary>Runs <paramref name="engines"/> engines at once on the fake clock, as that many servers would.</summary>
    private async Task RunEnginesAsync(FakeTimeProvider clock, int engines) =>
        await Task.WhenAll(Enumerable.Range(0, engines).Select(_ =>
            ActivatorUtilities.CreateInstance<AutomationEngine>(Host.Services, (TimeProvider)clock).RunOnceAsync(CancellationToken.None)));

    private static int Occurrences(string? text, string value) =>
        text is null ? 0 : (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private Task<int> ExecutionsAsync(SignedInClient customer) => CartExecutionAsync<int>("count(*)::int", customer);

    /// <summary>The cart reminders delivered to <paramref name="email"/> (the order's own mails aside).</summary>
    private List<MimeKit.MimeMessage> Reminders(string email) =>
        fixture.Mail.MessagesTo(email).Where(m => m.Subject?.Contains(ReminderSubject, StringComparison.Ordinal) == true).ToList();

    private async Task<IReadOnlyList<MimeKit.MimeMessage>> WaitForRemindersAsync(string email, int count)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Reminders(email).Count >= count)), $"{count} reminder(s) to {email}");
        return Reminders(email);
    }

    private static async Task<JsonElement> CartFunnelAsync(SignedInClient manager)
    {
        var list = await manager.Http.GetFromJsonAsync<JsonElement>("/api/admin/automations");
        return list.EnumerateArray().Single(a => a.GetProperty("triggerType").GetString() == "cart_abandoned");
    }

    private static async Task<JsonElement> ExecutionAsync(SignedInClient manager, long automationId, SignedInClient customer)
    {
        var executions = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/automations/{automationId}/executions");
        return executions.EnumerateArray().Single(e => e.GetProperty("customerId").GetInt64() == customer.CustomerId);
    }
}
