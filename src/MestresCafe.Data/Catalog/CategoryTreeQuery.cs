using Npgsql;

namespace MestresCafe.Data.Catalog;

/// <summary>
/// The active category tree; each node counts the active products in its whole subtree (the
/// number a storefront menu shows next to "Cafés").
/// </summary>
public sealed class CategoryTreeQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<CategoryNode>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            select c.id, c.parent_id, c.slug, c.name, c.description, c.image_url, c.sort_order,
                   (select count(*)::int from products p where p.category_id = c.id and p.is_active)
            from categories c
            where c.is_active
            order by c.sort_order, c.name
            """;
        var rows = new List<(long Id, long? ParentId, string Slug, string Name, string? Description, string? ImageUrl, int SortOrder, int Own)>();
        await using (var command = dataSource.CreateCommand(sql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7)));
            }
        }

        var active = rows.Select(r => r.Id).ToHashSet();
        var children = rows.ToLookup(r => r.ParentId is { } parent && active.Contains(parent) ? parent : (long?)null);

        CategoryNode Build((long Id, long? ParentId, string Slug, string Name, string? Description, string? ImageUrl, int SortOrder, int Own) row)
        {
            var kids = children[row.Id].Select(Build).ToList();
            return new CategoryNode(row.Id, row.Slug, row.Name, row.Description, row.ImageUrl, row.SortOrder,
                row.Own + kids.Sum(k => k.ProductCount), kids);
        }

        // A child of an inactive category is hidden with it, not promoted to the root.
        return children[null].Where(r => r.ParentId is null).Select(Build).ToList();
    }
}
