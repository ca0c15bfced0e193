using System.Text.Json;
using Npgsql;

namespace MestresCafe.Data.Catalog;

// Npgsql's own reader, not Dapper: product detail is a measured catalog hot path (docs/BENCHMARKS.md).
/// <summary>
/// One active product by slug with its variants, images, filterable attributes, rating summary
/// and latest approved reviews: one batch, one round trip.
/// </summary>
public sealed class ProductDetailQuery(NpgsqlDataSource dataSource)
{
    public const int ReviewLimit = 20;

    private const string Product = "select id from products where slug = $1 and is_active";

    private static readonly string[] Statements =
    [
        """
        select p.id, p.slug, p.name, p.sku, p.short_description, p.description, p.price, p.compare_price,
               p.is_featured, p.is_digital, p.weight, p.dimensions::text, p.attributes::text, p.seo_data::text,
               exists (select 1 from inventory i where i.product_id = p.id and i.quantity_available > 0 and i.location = 'CD-SP'),
               c.id, c.slug, c.name, b.id, b.slug, b.name
        from products p
        left join categories c on c.id = p.category_id
        left join brands b on b.id = p.brand_id
        where p.slug = $1 and p.is_active
        """,
        $"""
        select id, image_url, alt_text, is_primary, sort_order from product_images
        where product_id = ({Product}) order by is_primary desc, sort_order, id
        """,
        $"""
        select v.id, v.sku, v.name, v.price, v.compare_price, v.options::text, v.weight,
               exists (select 1 from inventory i where i.variant_id = v.id and i.quantity_available > 0 and i.location = 'CD-SP')
        from product_variants v
        where v.product_id = ({Product}) and v.is_active order by v.sort_order, v.id
        """,
        $"""
        select a.id, a.name, a.type, v.value from product_attribute_values v
        join product_attributes a on a.id = v.attribute_id
        where v.product_id = ({Product}) order by a.sort_order, a.name
        """,
        $"""
        select rating, count(*)::int from product_reviews
        where product_id = ({Product}) and is_approved group by rating
        """,
        $"""
        select r.id, r.rating, r.title, r.content, coalesce(nullif(u.first_name, ''), 'Cliente') || coalesce(' ' || nullif(left(u.last_name, 1), '') || '.', ''), r.created_at
        from product_reviews r join users u on u.id = r.user_id
        where r.product_id = ({Product}) and r.is_approved
        order by r.created_at desc, r.id desc limit {ReviewLimit}
        """,
    ];

    public async Task<ProductDetail?> ExecuteAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in Statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = slug } } });
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var head = new
        {
            Id = reader.GetInt64(0),
            Slug = reader.GetString(1),
            Name = reader.GetString(2),
            Sku = reader.GetString(3),
            ShortDescription = reader.IsDBNull(4) ? null : reader.GetString(4),
            Description = reader.IsDBNull(5) ? null : reader.GetString(5),
            Price = reader.GetDecimal(6),
            ComparePrice = reader.IsDBNull(7) ? (decimal?)null : reader.GetDecimal(7),
            IsFeatured = reader.GetBoolean(8),
            IsDigital = reader.GetBoolean(9),
            Weight = reader.IsDBNull(10) ? (decimal?)null : reader.GetDecimal(10),
            Dimensions = Json(reader.GetString(11)),
            Details = Json(reader.GetString(12)),
            Seo = Json(reader.GetString(13)),
            InStock = reader.GetBoolean(14),
            Category = reader.IsDBNull(15) ? null : new CategoryRef(reader.GetInt64(15), reader.GetString(16), reader.GetString(17)),
            Brand = reader.IsDBNull(18) ? null : new BrandRef(reader.GetInt64(18), reader.GetString(19), reader.GetString(20)),
        };

        await reader.NextResultAsync(cancellationToken);
        var images = new List<ImageView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(new ImageView(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4)));
        }

        await reader.NextResultAsync(cancellationToken);
        var variants = new List<VariantView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            variants.Add(new VariantView(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4), Json(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.GetBoolean(7)));
        }

        await reader.NextResultAsync(cancellationToken);
        var attributes = new List<AttributeView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attributes.Add(new AttributeView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        await reader.NextResultAsync(cancellationToken);
        var distribution = Enumerable.Range(1, 5).ToDictionary(star => star, _ => 0);
        while (await reader.ReadAsync(cancellationToken))
        {
            distribution[reader.GetInt16(0)] = reader.GetInt32(1);
        }

        await reader.NextResultAsync(cancellationToken);
        var reviews = new List<ReviewView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reviews.Add(new ReviewView(
                reader.GetInt64(0), reader.GetInt16(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        var count = distribution.Values.Sum();
        var average = count == 0 ? 0m : Math.Round(distribution.Sum(d => (decimal)d.Key * d.Value) / count, 2);

        return new ProductDetail(
            head.Id, head.Slug, head.Name, head.Sku, head.ShortDescription, head.Description, head.Price, head.ComparePrice,
            head.IsFeatured, head.IsDigital, head.InStock, head.Weight, head.Dimensions, head.Details, head.Seo,
            head.Category, head.Brand, images, variants, attributes, new RatingBreakdown(average, count, distribution), reviews);
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
