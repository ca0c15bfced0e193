using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>
/// The built-in validation (AddValidation) names a field by its C# path ("Items[0].Quantity"); the
/// client sent, and the dashboard and tests read, the JSON names ("items[0].quantity"). Every
/// validation problem passes through problem details customization, so each segment of each key
/// is spelled there with the API's JSON naming policy. Keys already in JSON spelling stay as they are.
/// (.NET 10 offers no naming option for these keys, and [JsonPropertyName] does not reach them.)
/// </summary>
public static class ValidationErrorKeys
{
    public static void UseJsonNames(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails { Errors.Count: > 0 } problem)
        {
            return;
        }

        var policy = context.HttpContext.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions.PropertyNamingPolicy;
        if (policy is null || !problem.Errors.Keys.Any(key => key.Length > 0 && char.IsUpper(key[0]) || key.Contains('.', StringComparison.Ordinal)))
        {
            return;
        }

        problem.Errors = problem.Errors
            .GroupBy(error => Spell(error.Key, policy), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.SelectMany(error => error.Value).ToArray(), StringComparer.Ordinal);
    }

    // "Lines[0].Sku" → "lines[0].sku": each member name through the policy, indexes untouched. A key
    // that is no C# path (a header such as "Idempotency-Key", a query key) is the client's own spelling.
    internal static string Spell(string key, JsonNamingPolicy policy) =>
        !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '[' or ']') ? key : string.Join('.', key.Split('.').Select(segment =>
        {
            var index = segment.IndexOf('[', StringComparison.Ordinal);
            return index < 0 ? policy.ConvertName(segment) : policy.ConvertName(segment[..index]) + segment[index..];
        }));
}
