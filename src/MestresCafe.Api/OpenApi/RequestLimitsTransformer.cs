using System.Globalization;
using MestresCafe.Api.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The limits of request input that no validation attribute states, from the limits the server
/// applies to every request: a string or an array in a body cannot outgrow the body limit (the
/// largest any endpoint accepts), a query or path value cannot outgrow the request line, and an
/// integer is bounded by its type (numbers are read as JSON numbers only). Response schemas are
/// left alone: these are limits on what the server reads.
/// </summary>
internal sealed class RequestLimitsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var bodyLimit = context.DescriptionGroups.SelectMany(group => group.Items)
            .Select(description => description.ActionDescriptor.EndpointMetadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault()?.MaxRequestBodySize ?? RequestSizeLimit.DefaultMaxBytes)
            .DefaultIfEmpty(RequestSizeLimit.DefaultMaxBytes)
            .Max();
        var lineLimit = new KestrelServerLimits().MaxRequestLineSize;
        var bounded = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var operation in ((IEnumerable<IOpenApiPathItem>?)document.Paths?.Values ?? []).SelectMany(path => (IEnumerable<OpenApiOperation>?)path.Operations?.Values ?? []))
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                Bound(document, parameter.Schema, (int)Math.Min(lineLimit, int.MaxValue), bounded);
            }

            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                Bound(document, media.Schema, (int)Math.Min(bodyLimit, int.MaxValue), bounded);
            }
        }

        return Task.CompletedTask;
    }

    private static void Bound(OpenApiDocument document, IOpenApiSchema? schema, int maxLength, HashSet<IOpenApiSchema> bounded)
    {
        if (schema is OpenApiSchemaReference reference)
        {
            schema = reference.Reference.Id is { } id && document.Components?.Schemas?.TryGetValue(id, out var target) == true ? target : null;
        }

        if (schema is not OpenApiSchema concrete || !bounded.Add(concrete))
        {
            return;
        }

        var type = concrete.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.String) && concrete.MaxLength is null && concrete.Enum is not { Count: > 0 } && concrete.Const is null)
        {
            concrete.MaxLength = maxLength;
        }

        if (type.HasFlag(JsonSchemaType.Integer))
        {
            var (minimum, maximum) = concrete.Format == "int32" ? ((long)int.MinValue, (long)int.MaxValue) : (long.MinValue, long.MaxValue);
            concrete.Minimum ??= concrete.ExclusiveMinimum is null ? minimum.ToString(CultureInfo.InvariantCulture) : null;
            concrete.Maximum ??= concrete.ExclusiveMaximum is null ? maximum.ToString(CultureInfo.InvariantCulture) : null;
        }

        if (type.HasFlag(JsonSchemaType.Array))
        {
            // Each item takes at least two bytes of the body ("0,").
            concrete.MaxItems ??= maxLength / 2;
        }

        var children = (concrete.Properties?.Values ?? [])
            .Append(concrete.Items).Append(concrete.AdditionalProperties)
            .Concat(concrete.OneOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.AllOf ?? []);
        foreach (var child in children)
        {
            Bound(document, child, maxLength, bounded);
        }
    }
}
