using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// Schemas that carry the validation attributes of the request types (<see cref="ValidationSchemaFacts"/>).
/// Strings and dates are read by the API's own checking converters (<c>StorableJsonConverters</c>),
/// which leave the generator without a type for them: the type and format are restored here from
/// the .NET type, so that their limits can be stated.
/// </summary>
internal sealed class ValidationSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The longest ISO 8601 texts of a date and time with offset (7 fractional digits), and of a date.</summary>
    private const int MaxDateTimeLength = 33;
    private const int MaxDateLength = 10;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        if (schema.Type is null && (underlying ?? type) is var valueType && TypeOf(valueType) is var (jsonType, format, maxLength))
        {
            var nullable = underlying is not null || context.JsonPropertyInfo is { IsGetNullable: true } || context.ParameterDescription?.IsRequired == false;
            schema.Type = nullable ? jsonType | JsonSchemaType.Null : jsonType;
            schema.Format ??= format;
            schema.MaxLength ??= maxLength;
        }

        // A list or map of strings: the element's schema is lost the same way.
        if (context.JsonTypeInfo.ElementType == typeof(string))
        {
            if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Enumerable && schema.Items is null)
            {
                schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Dictionary && schema.AdditionalProperties is null)
            {
                schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
            }
        }

        ValidationSchemaFacts.Apply(schema, Attributes(context));
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && IsRequestType(context.JsonTypeInfo))
        {
            // A request member is required when leaving it out is refused ([Required] and kin, or
            // JSON's required), not because the record's constructor takes it: an absent nullable
            // member binds to null and passes.
            schema.Required = context.JsonTypeInfo.Properties
                .Where(property => property.IsRequired || PropertyAttributes(property).OfType<RequiredAttribute>().Any())
                .Select(property => property.Name)
                .ToHashSet(StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }

    /// <summary>A type the validation reads: it declares rules (attributes or IValidatableObject).</summary>
    private static bool IsRequestType(JsonTypeInfo type) =>
        typeof(IValidatableObject).IsAssignableFrom(type.Type)
        || type.Properties.Any(property => PropertyAttributes(property).OfType<ValidationAttribute>().Any());

    private static IEnumerable<object> PropertyAttributes(JsonPropertyInfo property) =>
        (property.AttributeProvider?.GetCustomAttributes(true) ?? [])
            .Concat(property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(true) ?? []);

    private static (JsonSchemaType Type, string? Format, int? MaxLength)? TypeOf(Type type) =>
        type == typeof(string) ? (JsonSchemaType.String, null, null)
        : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? (JsonSchemaType.String, "date-time", MaxDateTimeLength)
        : type == typeof(DateOnly) ? (JsonSchemaType.String, "date", MaxDateLength)
        : null;

    /// <summary>The attributes of the property (and of the record parameter that declares it), or of the bound parameter.</summary>
    private static IEnumerable<object> Attributes(OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            return PropertyAttributes(property);
        }

        return context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: ParameterInfo parameter }
            ? parameter.GetCustomAttributes(true)
            : [];
    }
}
