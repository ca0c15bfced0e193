using System.Reflection;
using System.Text.Json;
using MestresCafe.Api.Infrastructure.Validation;

namespace MestresCafe.Api.Admin;

/// <summary>
/// The one rule of a back-office body that depends on the operation: a create must carry its
/// [RequiredOnCreate] fields, which a PATCH may leave out. Everything else the body's annotations
/// check before the handler runs, on both operations.
/// </summary>
internal static class CreateRequirements<TInput>
{
    // Attributes of a positional record sit on its constructor's parameters; of a class, on its properties.
    private static readonly (string Field, PropertyInfo Property)[] Required = typeof(TInput).GetConstructors()
        .SelectMany(constructor => constructor.GetParameters())
        .Where(parameter => parameter.IsDefined(typeof(RequiredOnCreateAttribute)))
        .Select(parameter => typeof(TInput).GetProperty(parameter.Name!)!)
        .Concat(typeof(TInput).GetProperties().Where(property => property.IsDefined(typeof(RequiredOnCreateAttribute))))
        .Distinct()
        .Select(property => (JsonNamingPolicy.CamelCase.ConvertName(property.Name), property))
        .ToArray();

    /// <summary>"Required." under the JSON name of each required field the body left out; empty when none is missing.</summary>
    public static Dictionary<string, string[]> Missing(TInput body) =>
        Required.Where(field => field.Property.GetValue(body) is null).ToDictionary(field => field.Field, _ => new[] { "Required." });
}
