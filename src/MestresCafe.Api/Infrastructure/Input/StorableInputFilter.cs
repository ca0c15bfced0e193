using MestresCafe.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Infrastructure.Input;

/// <summary>
/// The counterpart of <see cref="StorableJsonConverters"/> for everything that is not a JSON body:
/// query strings with a NUL (also those an endpoint reads itself, such as the report range), and
/// bound parameters (query, header, form) holding a NUL or a date outside the storable years,
/// answer a 400 validation problem before the handler runs. Applied once, on the API's root group.
/// A NUL in the path never gets here: the server's URL decoder refuses it with a 400.
/// </summary>
public static class StorableInputFilter
{
    public static TBuilder WithStorableInput<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var names = factory.MethodInfo.GetParameters().Select(p => p.Name ?? "value").ToArray();
            return invocation =>
            {
                var errors = Check(invocation, names);
                return errors is null ? next(invocation) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors));
            };
        });

    // Runs on every API request: nothing is allocated unless something is refused.
    private static Dictionary<string, string[]>? Check(EndpointFilterInvocationContext invocation, string[] names)
    {
        Dictionary<string, string[]>? errors = null;
        var request = invocation.HttpContext.Request;
        foreach (var (key, values) in request.Query)
        {
            if (StorableInput.HasNul(key) || values.Any(StorableInput.HasNul))
            {
                (errors ??= [])[key.Replace("\0", "", StringComparison.Ordinal)] = [StorableInput.NulMessage];
            }
        }

        for (var i = 0; i < invocation.Arguments.Count && i < names.Length; i++)
        {
            var error = invocation.Arguments[i] switch
            {
                string text when StorableInput.HasNul(text) => StorableInput.NulMessage,
                DateTime date when !StorableInput.IsStorable(date) => StorableInput.DateMessage,
                DateTimeOffset date when !StorableInput.IsStorable(date) => StorableInput.DateMessage,
                DateOnly date when !StorableInput.IsStorable(date) => StorableInput.DateMessage,
                _ => null,
            };
            if (error is not null)
            {
                (errors ??= [])[names[i]] = [error];
            }
        }

        return errors;
    }
}
