using Npgsql;

namespace MestresCafe.Data.Pricing;

/// <summary>One sellable item (a variant, or a product without variants) as checkout prices it.</summary>
public sealed record PricedItem(
    string Sku,
    long ProductId,
    long? VariantId,
    string Name,
    decimal UnitPrice,
    bool IsActive,
    bool RequiresShipping,
    decimal Weight,
    IReadOnlyList<long> CategoryIds);

// Npgsql's own reader, not Dapper: every cart write and checkout prices through here (hot path, docs/BENCHMARKS.md).
/// <summary>
/// Current prices from the catalog, the only source of a price: never the client. A variant's
/// price is what is charged; its product must be active too. Category ids include every ancestor,
/// so a coupon for "Cafés" applies to a coffee filed under "Cafés > Microlotes".
/// </summary>
public sealed class CatalogPrices(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyDictionary<string, PricedItem>> GetAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default)
    {
        var wanted = Wanted(skus);
        var items = new Dictionary<string, PricedItem>(StringComparer.Ordinal);
        if (wanted.Length == 0)
        {
            return items;
        }

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = wanted });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await ReadAllAsync(reader, items, cancellationToken);
        return items;
    }

    /// <summary>The skus to price, distinct; empty asks nothing of the database.</summary>
    internal static string[] Wanted(IEnumerable<string> skus) => skus.Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The pricing command for <paramref name="wanted"/> skus, to run alone or in a batch with other reads.</summary>
    internal static NpgsqlBatchCommand BatchCommand(string[] wanted)
    {
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = wanted });
        return command;
    }

    /// <summary>Reads the current result set of <see cref="Sql"/> into <paramref name="items"/>.</summary>
    internal static async Task ReadAllAsync(NpgsqlDataReader reader, Dictionary<string, PricedItem> items, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = new PricedItem(
                reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3),
                reader.GetDecimal(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetDecimal(7), reader.GetFieldValue<long[]>(8));
            items[item.Sku] = item;
        }
    }

    private const string Sql =
        """
        with recursive item as (
            select v.sku, p.id as product_id, v.id as variant_id, p.name || ' - ' || v.name as name, v.price,
                   p.is_active and v.is_active as is_active, p.requires_shipping, coalesce(p.weight, 0) as weight, p.category_id
            from product_variants v join products p on p.id = v.product_id
            where v.sku = any($1)
            union all
            select p.sku, p.id, null, p.name, p.price, p.is_active, p.requires_shipping, coalesce(p.weight, 0), p.category_id
            from products p
            where p.sku = any($1) and not exists (select 1 from product_variants v where v.product_id = p.id)
        ),
        ancestry as (
            select i.sku, c.id, c.parent_id from item i join categories c on c.id = i.category_id
            union all
            select a.sku, c.id, c.parent_id from ancestry a join categories c on c.id = a.parent_id
        )
        select i.sku, i.product_id, i.variant_id, i.name, i.price, i.is_active, i.requires_shipping, i.weight,
               coalesce((select array_agg(a.id) from ancestry a where a.sku = i.sku), '{}')
        from item i
        """;
}
