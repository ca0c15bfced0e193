using System.Text.Json;
using MestresCafe.Crm;
using MestresCafe.Data.Crm;
using MestresCafe.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Data.Tests.Crm;

/// <summary>
/// Segments kept by the queue (triggers on the facts, <see cref="SegmentMembership.DrainQueueAsync"/>)
/// end where a full recomputation would put them, whatever mix of orders, refunds and profile
/// changes happened in between.
/// </summary>
public sealed class SegmentMembershipTests : IAsyncLifetime
{
    private const int Customers = 24;
    private TestDatabase _database = null!;
    private SegmentMembership _membership = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly string[] Definitions =
    [
        """{"spent": {"min": 300, "days": 90}, "states": ["SP", "MG"]}""",
        """{"orderCount": {"min": 2}, "newsletter": "subscribed"}""",
        """{"daysSinceLastOrder": {"max": 30}, "categoriesBought": [0]}""",
        """{"orderCount": {"max": 0}, "groups": [0]}""",
    ];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(SegmentMembershipTests));
        _membership = new SegmentMembership(_database.DataSource, _clock);
        await _database.ExecuteAsync($"""
            insert into categories (name, slug) values ('Seg Cafés', 'seg-cafes'), ('Seg Moedores', 'seg-moedores');
            insert into products (name, slug, sku, price, cost_price, category_id)
            values ('Seg Café', 'seg-cafe', 'SEG-CAFE', 100, 40, (select id from categories where slug = 'seg-cafes')),
                   ('Seg Moedor', 'seg-moedor', 'SEG-MOEDOR', 250, 120, (select id from categories where slug = 'seg-moedores'));
            insert into customer_groups (name) values ('Seg Cafeterias');
            insert into users (email, first_name, last_name)
            select 'seg' || n || '@example.com.br', 'Seg', 'Cliente ' || n from generate_series(1, {Customers}) n;
            insert into customers (user_id, shipping_address)
            select id, jsonb_build_object('city', 'Campinas', 'state', 'SP') from users where email like 'seg%@example.com.br';
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Members_after_random_orders_refunds_and_profile_changes_equal_a_full_recomputation()
    {
        var category = await _database.ScalarAsync<long>("select id from categories where slug = 'seg-cafes'");
        var group = await _database.ScalarAsync<long>("select id from customer_groups where name = 'Seg Cafeterias'");
        var segments = new List<(long Id, SegmentCriteria Criteria)>();
        foreach (var definition in Definitions)
        {
            var json = definition.Replace("[0]", definition.Contains("categories", StringComparison.Ordinal) ? $"[{category}]" : $"[{group}]", StringComparison.Ordinal);
            var criteria = SegmentCriteria.Parse(JsonSerializer.Deserialize<JsonElement>(json)).Criteria!;
            var id = await _database.ScalarAsync<long>(
                "insert into customer_segments (name, criteria) values ($1, $2::jsonb) returning id", "seg " + segments.Count, json);
            segments.Add((id, criteria));
        }

        await _membership.RunOnceAsync(CancellationToken.None);
        await _membership.DrainQueueAsync(CancellationToken.None);
        var customers = (await _database.ScalarAsync<string>(
            "select string_agg(id::text, ',' order by id) from customers where user_id in (select id from users where email like 'seg%')"))
            .Split(',').Select(long.Parse).ToArray();
        var random = new Random(20261201);
        for (var step = 0; step < 160; step++)
        {
            var customer = customers[random.Next(customers.Length)];
            await RandomEventAsync(random, customer, category, group);
            if (random.Next(5) == 0)
            {
                await _membership.DrainQueueAsync(CancellationToken.None);
            }
        }

        await _membership.DrainQueueAsync(CancellationToken.None);

        var sizes = new List<int>();
        foreach (var (id, criteria) in segments)
        {
            var members = await MembersAsync(id);
            Assert.Equal(await _membership.MatchingAsync(criteria, CancellationToken.None), members);
            sizes.Add(members.Count);
        }

        // The mix moved people in and out: no segment is empty or everyone, so the comparison could fail.
        Assert.All(sizes, size => Assert.InRange(size, 1, Customers - 1));
        Assert.Equal(0, await _membership.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_change_waits_in_the_queue_until_the_refresher_runs()
    {
        var json = """{"states": ["RJ"]}""";
        var segment = await _database.ScalarAsync<long>(
            "insert into customer_segments (name, criteria) values ('seg rj', $1::jsonb) returning id", json);
        await _membership.RunOnceAsync(CancellationToken.None);
        var customer = await _database.ScalarAsync<long>("select min(id) from customers");

        await _database.ScalarAsync<int>("update customers set shipping_address = '{\"city\": \"Niterói\", \"state\": \"RJ\"}' where id = $1 returning 1", customer);

        Assert.DoesNotContain(customer, await MembersAsync(segment));
        Assert.Equal(1, await _database.ScalarAsync<long>("select count(*) from customer_segment_queue where customer_id = $1", customer));
        await _membership.DrainQueueAsync(CancellationToken.None);
        Assert.Contains(customer, await MembersAsync(segment));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from customer_segment_queue"));
        await _database.ExecuteAsync($"delete from customer_segments where id = {segment}");
    }

    private async Task RandomEventAsync(Random random, long customer, long category, long group)
    {
        var product = random.Next(2) == 0 ? "seg-cafe" : "seg-moedor";
        switch (random.Next(7))
        {
            case 0 or 1:
                // An order paid some days ago (the projection inserts it pending, then marks it paid).
                var paidAt = _clock.GetUtcNow().AddDays(-random.Next(0, 150));
                await _database.ScalarAsync<long>(
                    """
                    with o as (
                        insert into orders (order_number, user_id, status, subtotal, total_amount, created_at)
                        select $1, user_id, 'awaiting_payment', p.price, p.price, $3 from customers, products p where customers.id = $2 and p.slug = $4
                        returning id, total_amount)
                    insert into order_items (order_id, product_id, quantity, unit_price, total_price)
                    select o.id, p.id, 1, o.total_amount, o.total_amount from o, products p where p.slug = $4 returning order_id
                    """, "SEG-" + Guid.NewGuid().ToString("N")[..10], customer, paidAt, product);
                await _database.ScalarAsync<int>(
                    """
                    update orders set status = 'paid', paid_at = $2
                    where id = (select max(o.id) from orders o join customers c on c.user_id = o.user_id where c.id = $1) returning 1
                    """, customer, paidAt);
                await _database.ScalarAsync<int>(
                    """
                    insert into payments (order_id, payment_method_id, status, amount)
                    select max(o.id), (select min(id) from payment_methods), 'captured', max(o.total_amount)
                    from orders o join customers c on c.user_id = o.user_id where c.id = $1 returning 1
                    """, customer);
                break;
            case 2:
                // A refund of part or all of one of the customer's paid orders.
                var refunded = await _database.ScalarAsync<long>(
                    """
                    select coalesce(min(o.id), 0) from orders o join customers c on c.user_id = o.user_id
                    where c.id = $1 and o.status = 'paid'
                    """, customer);
                if (refunded > 0)
                {
                    var whole = random.Next(2) == 0;
                    await _database.ScalarAsync<int>(
                        "insert into payment_refunds (payment_id, amount, reason, status) select id, case when $2 then amount else 50 end, 'customer_request', 'succeeded' from payments where order_id = $1 returning 1",
                        refunded, whole);
                    await _database.ScalarAsync<int>(
                        "update orders set status = case when $2 then 'refunded' else 'partially_refunded' end where id = $1 returning 1", refunded, whole);
                }

                break;
            case 3:
                var state = new[] { "SP", "MG", "RJ", "BA" }[random.Next(4)];
                await _database.ScalarAsync<int>(
                    "update customers set shipping_address = jsonb_build_object('city', 'Cidade', 'state', $2::text) where id = $1 returning 1", customer, state);
                break;
            case 4:
                await _database.ScalarAsync<int>(
                    """
                    insert into newsletter_subscriptions (email, status, subscribed_at)
                    select u.email, 'subscribed', now() from users u join customers c on c.user_id = u.id where c.id = $1
                    on conflict (email) do update set status = case when newsletter_subscriptions.status = 'subscribed' then 'unsubscribed' else 'subscribed' end,
                                                      subscribed_at = now()
                    returning 1
                    """, customer);
                break;
            case 5:
                await _database.ScalarAsync<int>(
                    """
                    insert into customer_group_members (customer_id, group_id) values ($1, $2)
                    on conflict (customer_id, group_id) do update set is_active = not customer_group_members.is_active
                    returning 1
                    """, customer, group);
                break;
            default:
                // The customer's record switched off or on again (a profile change).
                await _database.ScalarAsync<int>("update customers set is_active = not is_active where id = $1 returning 1", customer);
                break;
        }
    }

    private async Task<IReadOnlyList<long>> MembersAsync(long segment)
    {
        var list = await _database.ScalarAsync<string>(
            "select coalesce(string_agg(customer_id::text, ',' order by customer_id), '') from customer_segment_members where segment_id = $1", segment);
        return list.Length == 0 ? [] : list.Split(',').Select(long.Parse).ToList();
    }
}
