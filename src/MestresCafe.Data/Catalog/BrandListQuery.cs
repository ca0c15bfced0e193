using Npgsql;

namespace MestresCafe.Data.Catalog;

public sealed class BrandListQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<BrandView>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            select b.id, b.slug, b.name, b.description, b.logo_url,
                   (select count(*)::int from products p where p.brand_id = b.id and p.is_active)
            from brands b
            where b.is_active
            order by b.name
            """;
        var brands = new List<BrandView>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            brands.Add(new BrandView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
        }

        return brands;
    }
}
