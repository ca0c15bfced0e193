using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data.Admin;

/// <summary>A column the back office may set, with its value (null means SQL NULL).</summary>
public sealed record ColumnValue(string Column, object? Value, NpgsqlDbType? Type = null);

/// <summary>A changed row: its id and its images before and after (null for an insert or a delete).</summary>
public sealed record RowChange(long Id, JsonElement? Old, JsonElement? New);

/// <summary>
/// Back-office writes of plain relational rows (catalog entities, loyalty definitions), inside the
/// caller's <see cref="WriteScope"/>, which also writes the audit row. Each feature's store names the tables it
/// owns; table and column names come from code, never from a request, and values are always
/// parameters. Each write returns the row before and after as JSON for the audit trail.
/// </summary>
public abstract class AdminRowStore(IReadOnlySet<string> tables)
{
    public async Task<RowChange> InsertAsync(WriteScope write, string table, IReadOnlyList<ColumnValue> columns, CancellationToken cancellationToken)
    {
        CheckTable(table);
        var parameters = new SqlParameters();
        var names = string.Join(", ", columns.Select(c => c.Column));
        var values = string.Join(", ", columns.Select(c => parameters.Add(c.Value ?? DBNull.Value, c.Type)));
        var row = await ReadRowAsync(write, $"insert into {table} as t ({names}) values ({values}) returning t.id, to_jsonb(t)::text as row", parameters, cancellationToken);
        return new RowChange(row!.Id, null, row.Row);
    }

    /// <summary>Updates the row <paramref name="id"/> (within <paramref name="scope"/>, e.g. its product); null when absent.</summary>
    public async Task<RowChange?> UpdateAsync(
        WriteScope write, string table, long id, IReadOnlyList<ColumnValue> columns,
        ColumnValue? scope, CancellationToken cancellationToken)
    {
        var old = await LockAsync(write, table, id, scope, cancellationToken);
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

        var row = await ReadRowAsync(write, $"update {table} as t set {set} where t.id = {parameters.Add(id)} returning t.id, to_jsonb(t)::text as row", parameters, cancellationToken);
        return new RowChange(id, old, row!.Row);
    }

    public async Task<RowChange?> DeleteAsync(
        WriteScope write, string table, long id, ColumnValue? scope, CancellationToken cancellationToken)
    {
        var old = await LockAsync(write, table, id, scope, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition($"delete from {table} where id = @id", new { id }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(id, old, null);
    }

    /// <summary>The row as JSON, locked for the rest of the transaction; null when absent.</summary>
    public async Task<JsonElement?> LockAsync(
        WriteScope write, string table, long id, ColumnValue? scope, CancellationToken cancellationToken)
    {
        CheckTable(table);
        var parameters = new SqlParameters();
        var sql = $"select t.id, to_jsonb(t)::text as row from {table} t where t.id = {parameters.Add(id)}"
            + (scope is null ? "" : $" and t.{scope.Column} = {parameters.Add(scope.Value ?? DBNull.Value, scope.Type)}")
            + " for update";
        return (await ReadRowAsync(write, sql, parameters, cancellationToken))?.Row;
    }

    /// <summary>Back-office read of one row, active or not.</summary>
    public async Task<JsonElement?> GetAsync(NpgsqlDataSource dataSource, string table, long id, CancellationToken cancellationToken)
    {
        CheckTable(table);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            $"select t.id, to_jsonb(t)::text as row from {table} t where t.id = @id", new { id }, cancellationToken: cancellationToken)))?.Row;
    }

    /// <summary>Runs a statement that returns <c>id, to_jsonb(t)::text as row</c>; null when it returned nothing.</summary>
    protected static async Task<JsonRow?> ReadRowAsync(WriteScope write, string sql, object parameters, CancellationToken cancellationToken) =>
        await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(sql, parameters, write.Transaction, cancellationToken: cancellationToken));

    private void CheckTable(string table)
    {
        if (!tables.Contains(table))
        {
            throw new ArgumentException($"Not a table of {GetType().Name}: {table}", nameof(table));
        }
    }
}

/// <summary>A row's id and its image as <c>to_jsonb</c> gives it.</summary>
public sealed record JsonRow(long Id, JsonElement Row);
