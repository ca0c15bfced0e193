using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data.Catalog;

/// <summary>A column the back office may set, with its value (null means SQL NULL).</summary>
public sealed record ColumnValue(string Column, object? Value, NpgsqlDbType? Type = null);

/// <summary>A changed row: its id and its images before and after (null for an insert or a delete).</summary>
public sealed record RowChange(long Id, JsonElement? Old, JsonElement? New);

/// <summary>
/// Back-office writes of the catalog tables, inside the caller's transaction (which also writes
/// the audit row). Table and column names come from code, never from a request; values are always
/// parameters. Each write returns the row before and after as JSON for the audit trail. The loyalty
/// program, rewards and achievements are definitions the back office edits the same way.
/// </summary>
public sealed class CatalogAdminStore
{
    private static readonly HashSet<string> Tables =
        ["products", "product_variants", "product_images", "categories", "brands", "product_attributes", "product_attribute_values", "product_reviews",
         "loyalty_programs", "rewards", "achievements"];

    public async Task<RowChange> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, IReadOnlyList<ColumnValue> columns, CancellationToken cancellationToken)
    {
        CheckTable(table);
        var parameters = new SqlParameters();
        var names = string.Join(", ", columns.Select(c => c.Column));
        var values = string.Join(", ", columns.Select(c => parameters.Add(c.Value ?? DBNull.Value, c.Type)));
        var sql = $"insert into {table} as t ({names}) values ({values}) returning t.id, to_jsonb(t)::text";
        var (id, row) = await ReadRowAsync(connection, transaction, sql, parameters, cancellationToken);
        return new RowChange(id!.Value, null, row);
    }

    /// <summary>Updates the row <paramref name="id"/> (within <paramref name="scope"/>, e.g. its product); null when absent.</summary>
    public async Task<RowChange?> UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, long id, IReadOnlyList<ColumnValue> columns,
        ColumnValue? scope, CancellationToken cancellationToken)
    {
        var old = await LockAsync(connection, transaction, table, id, scope, cancellationToken);
        if (old is null)
        {
            return null;
        }

        if (columns.Count == 0)
        {
            return new RowChange(id, old, old);
        }

        var parameters = new SqlParameters();
        var set = new StringBuilder();
        foreach (var column in columns)
        {
            set.Append(set.Length == 0 ? "" : ", ").Append(column.Column).Append(" = ").Append(parameters.Add(column.Value ?? DBNull.Value, column.Type));
        }

        var sql = $"update {table} as t set {set} where t.id = {parameters.Add(id)} returning t.id, to_jsonb(t)::text";
        var (_, row) = await ReadRowAsync(connection, transaction, sql, parameters, cancellationToken);
        return new RowChange(id, old, row);
    }

    public async Task<RowChange?> DeleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, long id, ColumnValue? scope, CancellationToken cancellationToken)
    {
        var old = await LockAsync(connection, transaction, table, id, scope, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await using var command = new NpgsqlCommand($"delete from {table} where id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new RowChange(id, old, null);
    }

    /// <summary>The row as JSON, locked for the rest of the transaction; null when absent.</summary>
    public async Task<JsonElement?> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, long id, ColumnValue? scope, CancellationToken cancellationToken)
    {
        CheckTable(table);
        var parameters = new SqlParameters();
        var sql = $"select t.id, to_jsonb(t)::text from {table} t where t.id = {parameters.Add(id)}"
            + (scope is null ? "" : $" and t.{scope.Column} = {parameters.Add(scope.Value ?? DBNull.Value, scope.Type)}")
            + " for update";
        var (found, row) = await ReadRowAsync(connection, transaction, sql, parameters, cancellationToken);
        return found is null ? null : row;
    }

    /// <summary>SKUs must be unique across products and variants; each table only enforces its own.</summary>
    public async Task<bool> SkuUsedElsewhereAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sku, bool forVariant, CancellationToken cancellationToken)
    {
        var sql = forVariant ? "select exists (select 1 from products where sku = $1)" : "select exists (select 1 from product_variants where sku = $1)";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = sku });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Would making <paramref name="parentId"/> the parent of <paramref name="categoryId"/> close a cycle?</summary>
    public async Task<bool> IsInSubtreeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long categoryId, long parentId, CancellationToken cancellationToken)
    {
        const string sql = """
            with recursive subtree as (
                select id from categories where id = $1
                union all
                select c.id from categories c join subtree s on c.parent_id = s.id)
            select exists (select 1 from subtree where id = $2)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = categoryId });
        command.Parameters.Add(new() { Value = parentId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Only one primary image per product: clears the flag on the others before one is set.</summary>
    public async Task ClearPrimaryImageAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long productId, long? exceptImageId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "update product_images set is_primary = false where product_id = $1 and is_primary and id <> coalesce($2, -1)", connection, transaction);
        command.Parameters.Add(new() { Value = productId });
        command.Parameters.Add(new() { Value = (object?)exceptImageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sets the value of one attribute of one product (insert or replace).</summary>
    public async Task<RowChange> UpsertAttributeValueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long productId, long attributeId, string value, CancellationToken cancellationToken)
    {
        JsonElement? old = null;
        await using (var select = new NpgsqlCommand(
            "select to_jsonb(v)::text from product_attribute_values v where product_id = $1 and attribute_id = $2 for update", connection, transaction))
        {
            select.Parameters.Add(new() { Value = productId });
            select.Parameters.Add(new() { Value = attributeId });
            if (await select.ExecuteScalarAsync(cancellationToken) is string text)
            {
                old = Parse(text);
            }
        }

        var parameters = new SqlParameters();
        var sql = $"""
            insert into product_attribute_values as t (product_id, attribute_id, value)
            values ({parameters.Add(productId)}, {parameters.Add(attributeId)}, {parameters.Add(value)})
            on conflict (product_id, attribute_id) do update set value = excluded.value
            returning t.id, to_jsonb(t)::text
            """;
        var (id, row) = await ReadRowAsync(connection, transaction, sql, parameters, cancellationToken);
        return new RowChange(id!.Value, old, row);
    }

    public async Task<RowChange?> DeleteAttributeValueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long productId, long attributeId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "delete from product_attribute_values v where product_id = $1 and attribute_id = $2 returning v.id, to_jsonb(v)::text", connection, transaction);
        command.Parameters.Add(new() { Value = productId });
        command.Parameters.Add(new() { Value = attributeId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new RowChange(reader.GetInt64(0), Parse(reader.GetString(1)), null) : null;
    }

    /// <summary>Back-office read of one row, active or not.</summary>
    public async Task<JsonElement?> GetAsync(NpgsqlDataSource dataSource, string table, long id, CancellationToken cancellationToken)
    {
        CheckTable(table);
        await using var command = dataSource.CreateCommand($"select to_jsonb(t)::text from {table} t where t.id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is string text ? Parse(text) : null;
    }

    private static async Task<(long? Id, JsonElement? Row)> ReadRowAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, SqlParameters parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        parameters.AttachTo(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), Parse(reader.GetString(1))) : (null, null);
    }

    private static void CheckTable(string table)
    {
        if (!Tables.Contains(table))
        {
            throw new ArgumentException($"Not a catalog table: {table}", nameof(table));
        }
    }

    internal static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
