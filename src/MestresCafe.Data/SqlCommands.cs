using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data;

/// <summary>
/// Positional parameters for the projection stores' batched writes. Those run on the hot paths
/// (checkout, hot-SKU reservations), where an <see cref="NpgsqlBatch"/> sends every statement of a
/// run in one round trip, which Dapper cannot; reads go through Dapper.
/// </summary>
internal static class SqlCommands
{
    /// <summary>A batch statement whose <c>$1, $2…</c> take <paramref name="values"/> in order.</summary>
    public static NpgsqlBatchCommand Batched(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddPositional(values);
        return command;
    }

    /// <summary>Adds <paramref name="values"/> as <c>$1, $2…</c>: null becomes SQL NULL, a prepared <see cref="NpgsqlParameter"/> (a jsonb) goes in as it is.</summary>
    public static void AddPositional(this NpgsqlParameterCollection parameters, params object?[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }

    /// <summary>Serialized JSON sent as jsonb; null as SQL NULL.</summary>
    public static NpgsqlParameter Jsonb(string? json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };

    /// <summary>A timestamptz that may be null (a typed SQL NULL, so that the statement needs no cast).</summary>
    public static NpgsqlParameter TimestampTz(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value?.ToUniversalTime() ?? DBNull.Value };
}
