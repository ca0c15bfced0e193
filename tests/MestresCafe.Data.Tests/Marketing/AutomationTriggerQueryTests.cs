using System.Text.Json;
using MestresCafe.Data.Marketing;
using MestresCafe.Data.Reporting;
using MestresCafe.Marketing;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Marketing;

/// <summary>
/// Every trigger's query against PostgreSQL: one customer with the fact each trigger looks for
/// (and one without), each found once and turned into its occurrence by the rules.
/// </summary>
public sealed class AutomationTriggerQueryTests(AutomationTriggerQueryTests.Facts facts) : IClassFixture<AutomationTriggerQueryTests.Facts>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ActiveSince = Now.AddDays(-30);

    /// <summary>One database for every case, with the facts of all the triggers written once.</summary>
    public sealed class Facts : IAsyncLifetime
    {
        private TestDatabase _database = null!;

        public AutomationTriggerQuery Query { get; private set; } = null!;
        public long Customer { get; private set; }

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateMigratedAsync(nameof(AutomationTriggerQueryTests));
            Query = new AutomationTriggerQuery(_database.DataSource);
            // The customer of every fact, and a bystander whose facts are all too old or absent.
            await _database.ExecuteAsync(
                """
                insert into users (email, first_name, last_name) values ('gatilho@example.com.br', 'Gatilho', 'Cliente'), ('outro@example.com.br', 'Outro', 'Cliente');
                insert into customers (user_id, birth_date, created_at)
                select id, case when email like 'gatilho%' then date '1990-12-02' else date '1990-06-01' end,
                       case when email like 'gatilho%' then timestamptz '2026-12-02 14:00Z' else timestamptz '2026-01-01 00:00Z' end
                from users;
                insert into products (name, slug, sku, price) values ('Gatilho Café', 'gatilho-cafe', 'GAT-CAFE', 40);
                insert into shopping_cart (user_id, product_id, quantity, created_at, updated_at)
                select u.id, p.id, 2, timestamptz '2026-12-02 10:00Z', timestamptz '2026-12-02 10:00Z'
                from users u, products p where u.email = 'gatilho@example.com.br';
                insert into orders (order_number, user_id, status, subtotal, total_amount, created_at, paid_at, shipped_at, delivered_at)
                select 'MC-GATILHO', id, 'delivered', 80, 80, timestamptz '2026-11-26 12:00Z', timestamptz '2026-11-26 12:05Z',
                       timestamptz '2026-11-26 18:00Z', timestamptz '2026-11-27 12:00Z'
                from users where email = 'gatilho@example.com.br';
                insert into loyalty_programs (name, type) values ('Gatilho Club', 'tiered');
                insert into customer_loyalty (customer_id, program_id, tier_level)
                select c.id, p.id, 'Ouro' from customers c join users u on u.id = c.user_id, loyalty_programs p where u.email = 'gatilho@example.com.br';
                update customer_loyalty set last_activity = timestamptz '2026-12-01 12:00Z';
                insert into back_in_stock_requests (user_id, product_id, status, notified_at)
                select u.id, p.id, 'notified', timestamptz '2026-12-01 09:00Z' from users u, products p where u.email = 'gatilho@example.com.br';
                """);
            Customer = await _database.ScalarAsync<long>("select c.id from customers c join users u on u.id = c.user_id where u.email = 'gatilho@example.com.br'");
        }

        public async Task DisposeAsync() => await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("cart_abandoned", """{"idle_hours": 3, "min_cart_value": 50}""", "cart:")]
    [InlineData("customer_signup", "{}", "signup")]
    [InlineData("first_order", "{}", "first_order:MC-GATILHO")]
    [InlineData("order_delivered", """{"days": 5}""", "delivered:MC-GATILHO")]
    [InlineData("inactivity", """{"days": 5}""", "inactive_since:MC-GATILHO")]
    [InlineData("birthday", "{}", "birthday:2026")]
    [InlineData("birthday", """{"days_before": 0}""", "birthday:2026")]
    [InlineData("loyalty_tier_changed", """{"tier": "ouro"}""", "tier:ouro")]
    [InlineData("back_in_stock", "{}", "back_in_stock:")]
    public async Task Each_trigger_finds_the_customer_whose_fact_it_is_and_nobody_else(string trigger, string conditions, string keyStart)
    {
        var (definition, errors) = AutomationDefinitionParser.Parse(trigger,
            JsonSerializer.Deserialize<JsonElement>(conditions),
            JsonSerializer.Deserialize<JsonElement>("""[{"action": "send_email", "template": "x"}]"""));
        Assert.Empty(errors);

        var found = await facts.Query.CandidatesAsync(definition!.Trigger, definition.Conditions, ActiveSince, Now, CancellationToken.None);
        var occurrences = found
            .Select(f => AutomationTriggerQuery.Occurrence(definition.Trigger, definition.Conditions, f, ActiveSince, Now,
                TimeZoneInfo.FindSystemTimeZoneById(ReportRange.DefaultTimeZone)))
            .OfType<TriggerOccurrence>()
            .ToList();

        var occurrence = Assert.Single(occurrences);
        Assert.Equal(facts.Customer, occurrence.CustomerId);
        Assert.StartsWith(keyStart, occurrence.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_birthday_days_before_finds_the_customer_whose_birthday_is_that_many_days_ahead()
    {
        var (definition, errors) = AutomationDefinitionParser.Parse("birthday",
            JsonSerializer.Deserialize<JsonElement>("""{"days_before": 4}"""),
            JsonSerializer.Deserialize<JsonElement>("""[{"action": "send_email", "template": "x"}]"""));
        Assert.Empty(errors);

        // The bystander's birthday is 1 June: the one customer four days ahead of 28 May (by the store's calendar).
        var may28 = new DateTimeOffset(2026, 5, 28, 15, 0, 0, TimeSpan.Zero);
        var found = await facts.Query.CandidatesAsync(definition!.Trigger, definition.Conditions, ActiveSince, may28, CancellationToken.None);
        var occurrence = Assert.Single(found
            .Select(f => AutomationTriggerQuery.Occurrence(definition.Trigger, definition.Conditions, f, ActiveSince, may28,
                TimeZoneInfo.FindSystemTimeZoneById(ReportRange.DefaultTimeZone)))
            .OfType<TriggerOccurrence>());
        Assert.NotEqual(facts.Customer, occurrence.CustomerId);
        Assert.Equal("birthday:2026", occurrence.Key);
    }
}
