using Dapper;
using Npgsql;

namespace MestresCafe.Data.Catalog;

/// <summary>A product's slug by id: the storefront caches a product's detail under its slug.</summary>
public sealed class ProductSlugQuery(NpgsqlDataSource dataSource)
{
    public async Task<string?> ExecuteAsync(long productId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select slug from products where id = @productId", new { productId }, cancellationToken: cancellationToken));
    }
}
