using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data;

/// <summary>
/// Dapper's process-wide settings, applied once when this assembly loads so that no query class
/// can run before them: snake_case columns (<c>order_number</c>) fill PascalCase members
/// (<c>OrderNumber</c>) without an alias in every select list; <c>timestamptz</c> fills
/// <see cref="DateTimeOffset"/> members (Npgsql hands Dapper a UTC <see cref="DateTime"/>),
/// json/jsonb columns fill <see cref="JsonElement"/> members, and an
/// <see cref="System.Net.IPAddress"/> is an inet parameter.
/// </summary>
internal static class DapperConventions
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library-wide mapping setting must precede the first query, whichever host loads Data.")]
    internal static void Apply()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new InetTypeHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new JsonElementHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a DateTimeOffset."),
        };

        // timestamptz takes UTC only; the instant is what is stored either way.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();
    }

    private sealed class JsonElementHandler : SqlMapper.TypeHandler<JsonElement>
    {
        public override JsonElement Parse(object value)
        {
            using var document = JsonDocument.Parse((string)value);
            return document.RootElement.Clone();
        }

        public override void SetValue(IDbDataParameter parameter, JsonElement value)
        {
            parameter.Value = value.GetRawText();
            if (parameter is NpgsqlParameter npgsql)
            {
                npgsql.NpgsqlDbType = NpgsqlDbType.Jsonb;
            }
        }
    }
}
