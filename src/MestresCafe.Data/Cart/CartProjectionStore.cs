using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Cart;

/// <summary>One line of a cart as shopping_cart stores it.</summary>
public sealed record CartLineRow(long ProductId, long? VariantId, int Quantity);

/// <summary>
/// Rewrites the shopping_cart rows of one cart owner (a user, or a visitor's session) from the
/// cart's current lines: one batch, one transaction, one round trip (every cart write lands here).
/// </summary>
public sealed class CartProjectionStore(NpgsqlDataSource dataSource)
{
    public async Task ReplaceAsync(long? userId, string? sessionId, IReadOnlyList<CartLineRow> lines, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(userId is { } user
            ? Batched("delete from shopping_cart where user_id = $1", user)
            : Batched("delete from shopping_cart where user_id is null and session_id = $1", sessionId));
        foreach (var line in lines)
        {
            batch.BatchCommands.Add(Batched(
                "insert into shopping_cart (user_id, session_id, product_id, variant_id, quantity) values ($1, $2, $3, $4, $5)",
                userId, sessionId, line.ProductId, line.VariantId, line.Quantity));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
