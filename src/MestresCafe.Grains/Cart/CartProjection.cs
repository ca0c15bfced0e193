using MestresCafe.Cart;
using Npgsql;

namespace MestresCafe.Grains.Cart;

/// <summary>
/// Rewrites the shopping_cart rows of one cart owner from the cart's current lines, in one
/// transaction. Only the cart grain calls it, one call at a time, with its latest state, so the
/// table always converges to the grain.
/// </summary>
public sealed class CartProjection(NpgsqlDataSource dataSource)
{
    public async Task ReplaceAsync(string cartKey, IReadOnlyList<CartLine> lines, CancellationToken cancellationToken)
    {
        var (userId, sessionId) = Owner(cartKey);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(connection, transaction);
        var delete = new NpgsqlBatchCommand(userId is null
            ? "delete from shopping_cart where user_id is null and session_id = $1"
            : "delete from shopping_cart where user_id = $1");
        delete.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? sessionId! });
        batch.BatchCommands.Add(delete);
        foreach (var line in lines)
        {
            var insert = new NpgsqlBatchCommand(
                "insert into shopping_cart (user_id, session_id, product_id, variant_id, quantity) values ($1, $2, $3, $4, $5)");
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)userId ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)sessionId ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = line.ProductId });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)line.VariantId ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter { Value = line.Quantity });
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static (long? UserId, string? SessionId) Owner(string cartKey) =>
        CartKey.IsVisitor(cartKey)
            ? (null, cartKey[2..])
            : (long.Parse(cartKey[2..], System.Globalization.CultureInfo.InvariantCulture), null);
}
