using System.Text.Json;

namespace MestresCafe.Api.Admin;

/// <summary>Reads a back-office view from the <c>to_jsonb</c> row image a store returned (snake_case columns).</summary>
internal static class RowJson
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static T As<T>(this JsonElement row) => row.Deserialize<T>(SnakeCase)!;
}
