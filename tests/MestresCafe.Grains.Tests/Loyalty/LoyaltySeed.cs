using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>
/// The demo program's rules, with one reward, two order achievements and one over distinct coffee
/// origins (the Origem product attribute), in a test's own database.
/// </summary>
internal static class LoyaltySeed
{
    public static async Task<(long RewardId, long FirstOrderId, long FiveOrdersId)> InsertProgramAsync(TestDatabase database)
    {
        await database.ExecuteAsync(
            """
            insert into loyalty_programs (name, type, rules) values ('Mestres Club', 'tiered',
              '{"points_per_brl": 1, "earn_on": "paid", "tiers": [{"name": "Bronze", "min_points": 0, "multiplier": 1.0}, {"name": "Prata", "min_points": 1000, "multiplier": 1.25}], "window_months": 12, "points_expire_months": 24}');
            """);
        var reward = await database.ScalarAsync<long>(
            "insert into rewards (name, type, points_required, discount_value, discount_type, conditions) values ('Desconto de R$ 10', 'discount', 10, 10.00, 'fixed_amount', '{\"valid_days\": 60}') returning id");
        var first = await database.ScalarAsync<long>(
            "insert into achievements (name, type, criteria, points_reward) values ('Primeiro pedido', 'purchase', '{\"metric\": \"paid_orders\", \"gte\": 1}', 100) returning id");
        var five = await database.ScalarAsync<long>(
            "insert into achievements (name, type, criteria, points_reward) values ('Cinco pedidos', 'purchase', '{\"metric\": \"paid_orders\", \"gte\": 5}', 500) returning id");
        await database.ExecuteAsync(
            """
            insert into product_attributes (name, type) values ('Origem', 'select') on conflict (name) do nothing;
            insert into achievements (name, type, criteria, points_reward) values
              ('Duas origens', 'exploration', '{"event": "order_paid", "metric": "distinct_origins", "attribute": "Origem", "gte": 2}', 40);
            """);
        return (reward, first, five);
    }
}
