using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The error responses each operation can give, all as the shared problem details responses of
/// <see cref="ProblemResponses"/>: those its handler declares (typed results, ProducesProblem), and
/// those the pipeline gives from the endpoint's metadata: 400 where there is a body, query or header to validate, 401
/// and 403 where authorization applies, 404 for an id in the path, 413 for a body, 429 where a rate
/// limit applies, and 500/503 (with Retry-After) anywhere.
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var facts = new EndpointFacts(context.Description);
        operation.Responses ??= [];
        var statuses = operation.Responses.Keys
            .Select(key => int.TryParse(key, out var status) ? status : 0)
            .Where(status => status >= 400)
            .ToHashSet();
        AddWhen(statuses, facts.HasInput, 400);
        AddWhen(statuses, !facts.IsAnonymous || facts.SignedWebhook is not null, 401);
        AddWhen(statuses, facts.Permissions.Count > 0, 403);
        AddWhen(statuses, facts.HasPathParameter, 404);
        AddWhen(statuses, facts.HasBody, 413);
        AddWhen(statuses, facts.IsRateLimited, 429);
        statuses.UnionWith([500, 503]);

        // Successes first, then the errors by status, each the shared problem response.
        var responses = new OpenApiResponses();
        foreach (var (key, response) in operation.Responses.Where(entry => !statuses.Contains(int.TryParse(entry.Key, out var status) ? status : 0)))
        {
            responses[key] = response;
        }

        foreach (var status in statuses.Order())
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            responses[key] = ProblemResponses.Meanings.ContainsKey(status)
                ? new OpenApiResponseReference(ProblemResponses.ResponseName(status), context.Document)
                : operation.Responses[key];
        }

        operation.Responses = responses;

        return Task.CompletedTask;
    }

    private static void AddWhen(HashSet<int> statuses, bool condition, int status)
    {
        if (condition)
        {
            statuses.Add(status);
        }
    }
}
