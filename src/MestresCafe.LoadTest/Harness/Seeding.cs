using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace MestresCafe.LoadTest.Harness;

/// <summary>
/// Writes the run's items, buyers and coupons straight into PostgreSQL. Buyers get sessions without
/// going through login: password hashing is deliberately slow and is not what these runs measure.
/// </summary>
public static class Seeding
{
    public static async Task InsertItemAsync(NpgsqlDataSource db, string sku, int stock, decimal price = 50m)
    {
        await using var command = db.CreateCommand(
            """
            with p as (insert into products (name, slug, sku, price, cost_price, short_description)
                       values ('Café ' || $1, lower($1), $1, $3, $3 / 2, 'Café especial de carga ' || $1) returning id)
            insert into inventory (product_id, quantity_available, cost_price, location)
            select id, $2, $3 / 2, 'CD-SP' from p
            """);
        command.Parameters.Add(new() { Value = sku });
        command.Parameters.Add(new() { Value = stock });
        command.Parameters.Add(new() { Value = price });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Buyers with an active session each; returns their bearer tokens. They hold the customer role,
    /// whose orders:create grant (checkout needs it) every migrated database has (migration 0046).
    /// </summary>
    public static async Task<string[]> InsertBuyersAsync(NpgsqlDataSource db, int count)
    {
        var tokens = Enumerable.Range(0, count).Select(_ => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))).ToArray();
        var hashes = tokens.Select(t => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(t)))).ToArray();
        await using var command = db.CreateCommand(
            """
            with h as (select hash, ord from unnest($1::text[]) with ordinality as t(hash, ord)),
                 u as (insert into users (email, first_name, last_name)
                       select 'carga.' || gen_random_uuid() || '@example.com.br', 'Cliente', 'Carga' from h order by ord
                       returning id),
                 n as (select id, row_number() over (order by id) as ord from u),
                 c as (insert into customers (user_id) select id from n returning id),
                 r as (insert into user_roles (user_id, role_id) select n.id, ro.id from n cross join roles ro where ro.name = 'customer')
            insert into user_sessions (user_id, session_token, expires_at)
            select n.id, h.hash, now() + interval '1 hour' from n join h using (ord)
            """);
        command.Parameters.Add(new() { Value = hashes });
        await command.ExecuteNonQueryAsync();
        return tokens;
    }

    public static async Task InsertCouponAsync(NpgsqlDataSource db, string code, int usageLimit, int perCustomerLimit)
    {
        await using var command = db.CreateCommand(
            "insert into coupons (code, type, value, usage_limit, per_customer_limit) values ($1, 'percentage', 10, $2, $3)");
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = usageLimit });
        command.Parameters.Add(new() { Value = perCustomerLimit });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An active program earning 1 point per BRL on payment, one tier: paid orders in a run then
    /// earn points the invariant checker can account for.
    /// </summary>
    public static async Task InsertLoyaltyProgramAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand(
            """
            insert into loyalty_programs (name, type, rules)
            values ('Programa de carga', 'points',
                    '{"points_per_brl": 1, "earn_on": "paid", "tiers": [{"name": "Bronze", "min_points": 0, "multiplier": 1.0}], "window_months": 12, "points_expire_months": 24}')
            on conflict (name) do nothing
            """);
        await command.ExecuteNonQueryAsync();
    }
}
