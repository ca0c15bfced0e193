using Dapper;
using Npgsql;

namespace MestresCafe.Data.Catalog;

public sealed class BrandListQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<BrandView>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            select b.id, b.slug, b.name, b.description, b.logo_url,
                   (select count(*)::int from products p where p.brand_id = b.id and p.is_active) as product_count
            from brands b
            where b.is_active
            order by b.name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<BrandView>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
    }
}
