using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MestresCafe.Data;

namespace MestresCafe.Api.Infrastructure.Input;

/// <summary>
/// JSON converters that refuse, while a request body is read, the values PostgreSQL cannot store
/// (<see cref="StorableInput"/>): a NUL in any string, JSON document or property name, and a date
/// outside the storable years. They throw <see cref="JsonException"/>, which the body binding turns
/// into a 400 before the handler runs, so no endpoint needs a rule of its own. Writing is unchanged.
/// </summary>
public static class StorableJsonConverters
{
    public static void AddTo(JsonSerializerOptions options)
    {
        options.Converters.Add(new StringConverter());
        options.Converters.Add(new JsonElementConverter());
        options.Converters.Add(new CheckedDate<DateTime>(JsonMetadataServices.DateTimeConverter, StorableInput.IsStorable));
        options.Converters.Add(new CheckedDate<DateTimeOffset>(JsonMetadataServices.DateTimeOffsetConverter, StorableInput.IsStorable));
        options.Converters.Add(new CheckedDate<DateOnly>(JsonMetadataServices.DateOnlyConverter, StorableInput.IsStorable));
    }

    private static string CheckText(string? text) =>
        StorableInput.HasNul(text) ? throw new JsonException(StorableInput.NulMessage) : text!;

    private static T CheckDate<T>(T value, Func<T, bool> isStorable) =>
        isStorable(value) ? value : throw new JsonException(StorableInput.DateMessage);

    private sealed class StringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? CheckText(reader.GetString())
                : throw new JsonException($"Expected a string, found {reader.TokenType}.");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        // Dictionary keys (e.g. attribute maps) reach the database too.
        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CheckText(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);
    }

    /// <summary>Free-form JSON (product details, SEO data, loyalty rules) is stored as jsonb, which refuses \u0000 as well.</summary>
    private sealed class JsonElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            Check(document.RootElement);
            return document.RootElement.Clone();
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static void Check(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    CheckText(element.GetString());
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Check(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        CheckText(property.Name);
                        Check(property.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>The built-in reading and writing of a date type, with the storable-years check after reading.</summary>
    private sealed class CheckedDate<T>(JsonConverter<T> inner, Func<T, bool> isStorable) : JsonConverter<T>
        where T : struct
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CheckDate(inner.Read(ref reader, typeToConvert, options), isStorable);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);
    }
}
