using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Marketing;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>The birth date a customer gives in their profile, and the birthday automation greeting on it, once a year, by a fake clock.</summary>
[Collection(MarketingCollection.Name)]
public sealed class BirthdayAutomationTests(MarketingHostFixture fixture)
{
    private const string Route = "/api/me/customer/birth-date";
    private const string GreetingSubject = "Feliz aniversário";

    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_customer_sets_and_clears_a_real_birth_date_of_13_to_120_years_and_staff_see_it()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo")).DateTime);

        foreach (var refused in new[] { "2001-02-30", "31/12/1990", "1990-1-5", today.AddYears(-13).AddDays(1).ToString("yyyy-MM-dd"), today.AddYears(-121).ToString("yyyy-MM-dd") })
        {
            using var response = await customer.Http.PutAsJsonAsync(Route, new { birthDate = refused });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty("birthDate", out _), refused);
        }

        Assert.Equal("none", await BirthDateAsync(customer));

        var thirteen = today.AddYears(-13).ToString("yyyy-MM-dd");
        using (var set = await customer.Http.PutAsJsonAsync(Route, new { birthDate = thirteen }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal(thirteen, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("birthDate").GetString());
        }

        Assert.Equal(thirteen, (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/customer")).GetProperty("birthDate").GetString());
        Assert.Equal(thirteen, (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers/{customer.CustomerId}")).GetProperty("birthDate").GetString());
        Assert.Equal(thirteen, await BirthDateAsync(customer));

        using (var cleared = await customer.Http.PutAsJsonAsync(Route, new { birthDate = (string?)null }))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("birthDate").ValueKind);
        }

        Assert.Equal("none", await BirthDateAsync(customer));
        Assert.Equal(2L, await Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'crm.customer.birth_date' and record_id = $1", customer.CustomerId!.Value));
    }

    [Fact]
    public async Task The_birthday_automation_greets_days_ahead_once_a_year_and_nobody_whose_birthday_it_is_not()
    {
        using var birthday = await fixture.ConsentingCustomerAsync();
        using var other = await fixture.ConsentingCustomerAsync();
        await SetBirthDateAsync(birthday, "1991-08-20");
        await SetBirthDateAsync(other, "1991-08-21");
        // The demo's "Aniversário" (three days ahead, a coupon, the greeting), seeded with the store.
        var automation = await Host.Database.ScalarAsync<long>("select id from marketing_automations where name = 'Aniversário' and is_active");
        // Noon in São Paulo, three days before 20 August: two engines at once, then again.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 8, 17, 15, 0, 0, TimeSpan.Zero));
        await RunEnginesAsync(clock, 2);
        await RunEnginesAsync(clock, 1);
        var greeting = Assert.Single(await GreetingsAsync(birthday, 1));
        Assert.Matches(@"cupom só seu: \S+ \(válido até", greeting.TextBody);
        Assert.Equal(["birthday:2027"], await OccurrencesAsync(automation, birthday));
        Assert.Empty(await OccurrencesAsync(automation, other));

        // The next day is the other's turn; the first is not greeted again that year.
        clock.Advance(TimeSpan.FromDays(1));
        await RunEnginesAsync(clock, 1);
        Assert.Equal(["birthday:2027"], await OccurrencesAsync(automation, birthday));
        Assert.Equal(["birthday:2027"], await OccurrencesAsync(automation, other));

        // A year later, once more.
        clock.SetUtcNow(new DateTimeOffset(2028, 8, 17, 15, 0, 0, TimeSpan.Zero));
        await RunEnginesAsync(clock, 1);
        Assert.Equal(2, (await GreetingsAsync(birthday, 2)).Count);
        Assert.Equal(["birthday:2027", "birthday:2028"], await OccurrencesAsync(automation, birthday));
    }

    private async Task SetBirthDateAsync(SignedInClient customer, string date)
    {
        using var set = await customer.Http.PutAsJsonAsync(Route, new { birthDate = date });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
    }

    private Task<string> BirthDateAsync(SignedInClient customer) =>
        Host.Database.ScalarAsync<string>("select coalesce(to_char(birth_date, 'YYYY-MM-DD'), 'none') from customers where id = $1", customer.CustomerId!.Value);

    private async Task<string[]> OccurrencesAsync(long automation, SignedInClient customer) =>
        await Host.Database.ScalarAsync<string[]>(
            "select coalesce(array_agg(occurrence_key order by occurrence_key), '{}') from automation_executions where automation_id = $1 and customer_id = $2",
            automation, customer.CustomerId!.Value);

    private async Task<IReadOnlyList<MimeKit.MimeMessage>> GreetingsAsync(SignedInClient customer, int count)
    {
        List<MimeKit.MimeMessage> Greetings() =>
            fixture.Mail.MessagesTo(customer.Email).Where(m => m.Subject?.Contains(GreetingSubject, StringComparison.Ordinal) == true).ToList();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Greetings().Count >= count)), $"{count} greeting(s)");
        return Greetings();
    }

    private async Task RunEnginesAsync(FakeTimeProvider clock, int engines) =>
        await Task.WhenAll(Enumerable.Range(0, engines).Select(_ =>
            ActivatorUtilities.CreateInstance<AutomationEngine>(Host.Services, (TimeProvider)clock).RunOnceAsync(CancellationToken.None)));
}
