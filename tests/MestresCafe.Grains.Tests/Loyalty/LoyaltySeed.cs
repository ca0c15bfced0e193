using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>The demo program's rules, with one reward and two order achievements, in a test's own database.</summary>
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
        return (reward, first, five);
    }
}
