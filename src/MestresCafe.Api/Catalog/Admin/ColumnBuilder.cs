using System.Text.Json;
using MestresCafe.Data.Admin;
using NpgsqlTypes;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>
/// Turns the fields of a back-office request into checked column values. A null field is left
/// unchanged (or is an error on create when required); an empty optional text clears the column.
/// Only the fields a request type declares can reach a column, so ids, authors and timestamps
/// sent by a client are never bound.
/// </summary>
internal sealed class ColumnBuilder(bool creating)
{
    public const decimal MaxMoney = 1_000_000m;

    public List<ColumnValue> Columns { get; } = [];
    public Dictionary<string, string[]> Errors { get; } = [];
    public bool Creating => creating;
    public bool IsValid => Errors.Count == 0;

    public ColumnBuilder Text(string field, string column, string? value, int maxLength, bool required = false, Func<string, bool>? rule = null, string? ruleMessage = null)
    {
        if (value is null)
        {
            return Require(field, required);
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            if (required)
            {
                return Error(field, "Required.");
            }

            Columns.Add(new(column, null, NpgsqlDbType.Text));
            return this;
        }

        if (trimmed.Length > maxLength)
        {
            return Error(field, $"At most {maxLength} characters.");
        }

        if (rule is not null && !rule(trimmed))
        {
            return Error(field, ruleMessage ?? "Invalid value.");
        }

        Columns.Add(new(column, trimmed, NpgsqlDbType.Text));
        return this;
    }

    public ColumnBuilder Money(string field, string column, decimal? value, bool required = false)
    {
        if (value is null)
        {
            return Require(field, required);
        }

        if (value < 0 || value > MaxMoney || decimal.Round(value.Value, 2) != value)
        {
            return Error(field, $"From 0 to {MaxMoney} with at most 2 decimals.");
        }

        Columns.Add(new(column, value.Value, NpgsqlDbType.Numeric));
        return this;
    }

    public ColumnBuilder Number(string field, string column, decimal? value, decimal max)
    {
        if (value is null)
        {
            return this;
        }

        if (value < 0 || value > max)
        {
            return Error(field, $"From 0 to {max}.");
        }

        Columns.Add(new(column, value.Value, NpgsqlDbType.Numeric));
        return this;
    }

    public ColumnBuilder Integer(string field, string column, int? value, int min = -1_000_000, int max = 1_000_000)
    {
        if (value is null)
        {
            return this;
        }

        if (value < min || value > max)
        {
            return Error(field, $"From {min} to {max}.");
        }

        Columns.Add(new(column, value.Value, NpgsqlDbType.Integer));
        return this;
    }

    public ColumnBuilder Flag(string column, bool? value)
    {
        if (value is { } flag)
        {
            Columns.Add(new(column, flag, NpgsqlDbType.Boolean));
        }

        return this;
    }

    public ColumnBuilder Reference(string field, string column, long? id)
    {
        if (id is null)
        {
            return this;
        }

        if (id <= 0)
        {
            return Error(field, "Not an id.");
        }

        Columns.Add(new(column, id.Value, NpgsqlDbType.Bigint));
        return this;
    }

    public ColumnBuilder Json(string field, string column, JsonElement? value, JsonValueKind kind, int maxLength = 20_000)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return this;
        }

        var text = element.GetRawText();
        if (element.ValueKind != kind || text.Length > maxLength)
        {
            return Error(field, $"A JSON {(kind == JsonValueKind.Object ? "object" : "array")} of at most {maxLength} characters.");
        }

        Columns.Add(new(column, text, NpgsqlDbType.Jsonb));
        return this;
    }

    public ColumnBuilder Add(string column, object value, NpgsqlDbType type)
    {
        Columns.Add(new(column, value, type));
        return this;
    }

    public ColumnBuilder Error(string field, string message)
    {
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    public bool Has(string column) => Columns.Any(c => c.Column == column);

    private ColumnBuilder Require(string field, bool required) => creating && required ? Error(field, "Required.") : this;
}
