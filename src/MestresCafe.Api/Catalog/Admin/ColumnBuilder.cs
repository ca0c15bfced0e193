using System.Text.Json;
using MestresCafe.Data.Admin;
using NpgsqlTypes;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>
/// Maps the fields of a back-office request, already validated by its annotations, to column
/// values. A null field is left unchanged; an empty optional text clears the column; texts are
/// stored trimmed. Only the fields a request type declares can reach a column, so ids, authors and
/// timestamps sent by a client are never bound.
/// </summary>
internal sealed class ColumnBuilder
{
    public List<ColumnValue> Columns { get; } = [];

    public ColumnBuilder Text(string column, string? value) =>
        value is null ? this : Add(column, value.Trim() is { Length: > 0 } trimmed ? trimmed : null, NpgsqlDbType.Text);

    public ColumnBuilder Numeric(string column, decimal? value) => value is { } number ? Add(column, number, NpgsqlDbType.Numeric) : this;

    public ColumnBuilder Integer(string column, int? value) => value is { } number ? Add(column, number, NpgsqlDbType.Integer) : this;

    public ColumnBuilder Flag(string column, bool? value) => value is { } flag ? Add(column, flag, NpgsqlDbType.Boolean) : this;

    public ColumnBuilder Reference(string column, long? id) => id is { } value ? Add(column, value, NpgsqlDbType.Bigint) : this;

    /// <summary>A document replaces the column's; JSON null (or no field) leaves it unchanged.</summary>
    public ColumnBuilder Json(string column, JsonElement? value) =>
        value is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } element ? Add(column, element.GetRawText(), NpgsqlDbType.Jsonb) : this;

    public ColumnBuilder Add(string column, object? value, NpgsqlDbType type)
    {
        Columns.Add(new(column, value, type));
        return this;
    }
}
