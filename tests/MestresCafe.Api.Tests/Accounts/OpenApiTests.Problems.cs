using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>The error statuses the document lists are the ones the handlers answer.</summary>
public sealed partial class OpenApiTests
{
    /// <summary>
    /// A handler that can answer a <see cref="ProblemHttpResult"/> decides its status in code the
    /// document cannot see, so it must say which (ProducesProblem, or a typed NotFound/Conflict):
    /// a new handler that forgets fails here, not in a generated client.
    /// </summary>
    [Fact]
    public void Every_handler_that_answers_problem_details_declares_their_statuses()
    {
        var undeclared = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler && AnswersProblemDetails(handler.ReturnType))
            .Where(endpoint => !endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(produces => produces.StatusCode > StatusCodes.Status400BadRequest))
            .Select(endpoint => endpoint.DisplayName)
            .ToList();

        Assert.True(undeclared.Count == 0, "Handlers answering problem details without declaring a status:\n" + string.Join('\n', undeclared));
    }

    /// <summary>
    /// Requests a real client gets wrong, each answered with a problem whose status the document
    /// lists for that operation (so a generated client has a type for it).
    /// </summary>
    [Fact]
    public async Task Bad_requests_are_answered_with_statuses_the_document_declares()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        using var visitor = _host.CreateClient();
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync();
        var reward = (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards")).EnumerateArray()
            .First(candidate => candidate.GetProperty("pointsRequired").GetInt32() > 0);
        var role = "papel_" + Guid.NewGuid().ToString("N")[..8];

        (HttpClient Client, HttpMethod Method, string Path, string Operation, object? Body, int Expected)[] cases =
        [
            (visitor, HttpMethod.Get, "/api/cart", "/api/cart", null, 404),
            (visitor, HttpMethod.Delete, "/api/cart", "/api/cart", null, 404),
            (visitor, HttpMethod.Post, "/api/cart/items", "/api/cart/items", new { sku = "NAO-EXISTE-" + Guid.NewGuid().ToString("N")[..6], quantity = 1 }, 404),
            (customer.Http, HttpMethod.Post, "/api/wishlist", "/api/wishlist", new { productId = long.MaxValue }, 404),
            (customer.Http, HttpMethod.Post, $"/api/loyalty/rewards/{reward.GetProperty("id").GetInt64()}/redeem", "/api/loyalty/rewards/{id}/redeem", null, 409),
            (admin.Http, HttpMethod.Get, "/api/me/credit", "/api/me/credit", null, 404),
            (admin.Http, HttpMethod.Post, "/api/admin/loyalty/adjustments", "/api/admin/loyalty/adjustments", new { userId = long.MaxValue, points = 10, reason = "teste" }, 404),
            (admin.Http, HttpMethod.Post, "/api/admin/roles", "/api/admin/roles", new { name = role }, 201),
            (admin.Http, HttpMethod.Post, "/api/admin/roles", "/api/admin/roles", new { name = role }, 409),
        ];

        foreach (var (client, method, path, operation, body, expected) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (client == visitor && path.StartsWith("/api/cart", StringComparison.Ordinal))
            {
                request.Headers.Add("X-Cart-Id", "nao-emitido-por-esta-loja");
            }

            using var response = await client.SendAsync(request);

            var status = (int)response.StatusCode;
            Assert.True(expected == status, $"{method} {path} answered {status}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
            var responses = paths.GetProperty(operation).GetProperty(method.Method.ToLowerInvariant()).GetProperty("responses");
            Assert.True(responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                $"{method} {operation} answers {status}, which its operation in the document does not list");
        }
    }

    private static bool AnswersProblemDetails(Type returnType)
    {
        var type = returnType.IsGenericType && returnType.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            ? returnType.GetGenericArguments()[0]
            : returnType;
        return type == typeof(ProblemHttpResult)
            || (type.IsGenericType && type.Namespace == typeof(Results<,>).Namespace && type.GetGenericArguments().Contains(typeof(ProblemHttpResult)));
    }
}
