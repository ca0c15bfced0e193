using MestresCafe.Data.Projections;
using Npgsql;

namespace MestresCafe.Data.Cart;

/// <summary>One line of a cart as shopping_cart stores it.</summary>
public sealed record CartLineRow(long ProductId, long? VariantId, int Quantity);

/// <summary>
/// Brings the shopping_cart rows of one cart owner (a user, or a visitor's session) to the cart's
/// current lines: lines no longer in the cart are deleted, new ones inserted, changed quantities
/// updated, unchanged lines left alone (they keep their created_at, which the funnel report's
/// abandoned carts read). One statement, so one round trip and one implicit transaction: every
/// cart change lands here, and rewriting every line each time was 11 rows and a BEGIN/COMMIT pair
/// a checkout.
/// </summary>
public sealed class CartProjectionStore(ProjectionTransactions transactions)
{
    private const string SyncUserCart =
        """
        with wanted as (
            select * from unnest($2::bigint[], $3::bigint[], $4::int[]) as w(product_id, variant_id, quantity)
        ), removed as (
            delete from shopping_cart s
            where s.user_id = $1
              and not exists (select 1 from wanted w where w.product_id = s.product_id and w.variant_id is not distinct from s.variant_id)
        )
        insert into shopping_cart as s (user_id, session_id, product_id, variant_id, quantity)
        select $1, null, w.product_id, w.variant_id, w.quantity from wanted w
        on conflict (user_id, product_id, variant_id) where user_id is not null
        do update set quantity = excluded.quantity where s.quantity <> excluded.quantity
        """;

    private const string SyncVisitorCart =
        """
        with wanted as (
            select * from unnest($2::bigint[], $3::bigint[], $4::int[]) as w(product_id, variant_id, quantity)
        ), removed as (
            delete from shopping_cart s
            where s.user_id is null and s.session_id = $1
              and not exists (select 1 from wanted w where w.product_id = s.product_id and w.variant_id is not distinct from s.variant_id)
        )
        insert into shopping_cart as s (user_id, session_id, product_id, variant_id, quantity)
        select null, $1, w.product_id, w.variant_id, w.quantity from wanted w
        on conflict (session_id, product_id, variant_id) where user_id is null
        do update set quantity = excluded.quantity where s.quantity <> excluded.quantity
        """;

    public Task ReplaceAsync(long? userId, string? sessionId, IReadOnlyList<CartLineRow> lines, CancellationToken cancellationToken) =>
        transactions.RunAsync((connection, transaction, token) => ReplaceAsync(userId, sessionId, lines, connection, transaction, token), cancellationToken);

    private static async Task ReplaceAsync(
        long? userId, string? sessionId, IReadOnlyList<CartLineRow> lines, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(userId is null ? SyncVisitorCart : SyncUserCart, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = userId is { } user ? user : sessionId! });
        command.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.ProductId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.VariantId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = lines.Select(l => l.Quantity).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
