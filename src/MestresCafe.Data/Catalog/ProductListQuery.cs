using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data.Catalog;

// Npgsql's own reader, not Dapper: the storefront listing is a measured catalog hot path (docs/BENCHMARKS.md).
/// <summary>
/// The storefront product listing: filters, Portuguese full-text search ranked with ts_rank,
/// sorting and pagination with a total count, in one round trip (a batch of two statements).
/// </summary>
public sealed class ProductListQuery(NpgsqlDataSource dataSource)
{
    // Must repeat idx_products_search's expression exactly for the planner to use the GIN index.
    private const string SearchVector =
        "to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(p.name, '') || ' ' || coalesce(p.description, ''))";

    // Names sort the way a Brazilian reader expects ("Água" next to "Açúcar", not after "Z").
    private const string ByName = "p.name collate \"pt-BR-x-icu\"";

    public async Task<PagedResult<ProductSummary>> ExecuteAsync(ProductListCriteria criteria, CancellationToken cancellationToken = default)
    {
        var parameters = new SqlParameters();
        var where = new StringBuilder("p.is_active");
        string? tsQuery = null;

        if (!string.IsNullOrWhiteSpace(criteria.Search))
        {
            tsQuery = $"websearch_to_tsquery('public.portuguese_unaccent'::regconfig, {parameters.Add(criteria.Search.Trim())})";
            where.Append($" and {SearchVector} @@ {tsQuery}");
        }

        if (criteria.CategorySlug is { } category)
        {
            // The category and its whole subtree.
            where.Append($"""
                 and p.category_id in (
                    with recursive subtree as (
                        select id from categories where slug = {parameters.Add(category)} and is_active
                        union all
                        select c.id from categories c join subtree s on c.parent_id = s.id where c.is_active)
                    select id from subtree)
                """);
        }

        if (criteria.BrandSlugs.Count > 0)
        {
            where.Append($" and p.brand_id in (select id from brands where slug = any({parameters.Add(criteria.BrandSlugs.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}) and is_active)");
        }

        if (criteria.MinPrice is { } min)
        {
            where.Append($" and p.price >= {parameters.Add(min)}");
        }

        if (criteria.MaxPrice is { } max)
        {
            where.Append($" and p.price <= {parameters.Add(max)}");
        }

        foreach (var (name, values) in criteria.Attributes)
        {
            // Accent- and case-insensitive on both the attribute name and its values.
            where.Append($"""
                 and exists (
                    select 1 from product_attribute_values v join product_attributes a on a.id = v.attribute_id
                    where v.product_id = p.id
                      and lower(public.immutable_unaccent(a.name)) = lower(public.immutable_unaccent({parameters.Add(name)}))
                      and lower(public.immutable_unaccent(v.value)) in (
                          select lower(public.immutable_unaccent(x)) from unnest({parameters.Add(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}) x))
                """);
        }

        if (criteria.Featured is { } featured)
        {
            where.Append($" and p.is_featured = {parameters.Add(featured)}");
        }

        if (criteria.InStockOnly)
        {
            // In stock means buyable: checkout reserves at the default location (InventoryKey.DefaultLocation),
            // so units kept at another location (a shop, another warehouse) do not count until transferred.
            where.Append(" and exists (select 1 from inventory i where i.product_id = p.id and i.quantity_available > 0 and i.location = 'CD-SP')");
        }

        var relevance = tsQuery is null ? "null::float8" : $"ts_rank({SearchVector}, {tsQuery})::float8";
        var orderBy = (criteria.Sort, tsQuery) switch
        {
            (ProductSort.Relevance, not null) => $"relevance desc, {ByName}",
            (ProductSort.PriceAsc, _) => $"p.price, {ByName}",
            (ProductSort.PriceDesc, _) => $"p.price desc, {ByName}",
            (ProductSort.Newest, _) => "p.created_at desc",
            (ProductSort.Rating, _) => $"r.rating_average desc nulls last, r.rating_count desc, {ByName}",
            _ => ByName,
        };
        var limit = parameters.Add(criteria.PageSize);
        var offset = parameters.Add((criteria.Page - 1) * criteria.PageSize);

        var select = $"""
            select p.id, p.slug, p.name, p.short_description, p.price, p.compare_price, p.is_featured, p.created_at,
                   exists (select 1 from inventory i where i.product_id = p.id and i.quantity_available > 0 and i.location = 'CD-SP') as in_stock,
                   c.id, c.slug, c.name, b.id, b.slug, b.name,
                   img.id, img.image_url, img.alt_text, img.is_primary, img.sort_order,
                   r.rating_average, coalesce(r.rating_count, 0),
                   {relevance} as relevance
            from products p
            left join categories c on c.id = p.category_id
            left join brands b on b.id = p.brand_id
            left join lateral (
                select pi.id, pi.image_url, pi.alt_text, pi.is_primary, pi.sort_order from product_images pi
                where pi.product_id = p.id order by pi.is_primary desc, pi.sort_order, pi.id limit 1) img on true
            left join lateral (
                select round(avg(pr.rating), 2) as rating_average, count(*)::int as rating_count from product_reviews pr
                where pr.product_id = p.id and pr.is_approved) r on true
            where {where}
            order by {orderBy}, p.id
            limit {limit} offset {offset}
            """;
        var count = $"select count(*) from products p where {where}";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var countCommand = new NpgsqlBatchCommand(count);
        var selectCommand = new NpgsqlBatchCommand(select);
        parameters.AttachTo(countCommand.Parameters);
        parameters.AttachTo(selectCommand.Parameters);
        batch.BatchCommands.Add(countCommand);
        batch.BatchCommands.Add(selectCommand);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<ProductSummary>(criteria.PageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ProductSummary(
                Id: reader.GetInt64(0),
                Slug: reader.GetString(1),
                Name: reader.GetString(2),
                ShortDescription: reader.IsDBNull(3) ? null : reader.GetString(3),
                Price: reader.GetDecimal(4),
                ComparePrice: reader.IsDBNull(5) ? null : reader.GetDecimal(5),
                IsFeatured: reader.GetBoolean(6),
                InStock: reader.GetBoolean(8),
                Category: reader.IsDBNull(9) ? null : new CategoryRef(reader.GetInt64(9), reader.GetString(10), reader.GetString(11)),
                Brand: reader.IsDBNull(12) ? null : new BrandRef(reader.GetInt64(12), reader.GetString(13), reader.GetString(14)),
                Image: reader.IsDBNull(15) ? null : new ImageView(reader.GetInt64(15), reader.GetString(16), reader.IsDBNull(17) ? null : reader.GetString(17), reader.GetBoolean(18), reader.GetInt32(19)),
                Rating: new RatingSummary(reader.IsDBNull(20) ? 0m : reader.GetDecimal(20), reader.GetInt32(21)),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(7),
                Relevance: reader.IsDBNull(22) ? null : reader.GetDouble(22)));
        }

        return new PagedResult<ProductSummary>(items, criteria.Page, criteria.PageSize, total);
    }
}
