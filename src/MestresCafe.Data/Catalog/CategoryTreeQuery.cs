using Dapper;
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
                   (select count(*)::int from products p where p.category_id = c.id and p.is_active) as own
            from categories c
            where c.is_active
            order by c.sort_order, c.name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CategoryRow>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
        var active = rows.Select(r => r.Id).ToHashSet();
        var children = rows.ToLookup(r => r.ParentId is { } parent && active.Contains(parent) ? parent : (long?)null);

        CategoryNode Build(CategoryRow row)
        {
            var kids = children[row.Id].Select(Build).ToList();
            return new CategoryNode(row.Id, row.Slug, row.Name, row.Description, row.ImageUrl, row.SortOrder,
                row.Own + kids.Sum(k => k.ProductCount), kids);
        }

        // A child of an inactive category is hidden with it, not promoted to the root.
        return children[null].Where(r => r.ParentId is null).Select(Build).ToList();
    }

    /// <param name="Own">Active products filed directly under this category.</param>
    private sealed record CategoryRow(long Id, long? ParentId, string Slug, string Name, string? Description, string? ImageUrl, int SortOrder, int Own);
}
