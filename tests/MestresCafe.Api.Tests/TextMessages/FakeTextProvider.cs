using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.TextMessages;

/// <summary>One request as the provider received it.</summary>
public sealed record ProviderCall(string? Authorization, string? IdempotencyKey, string To, string Channel, string Body, string Reference);

/// <summary>
/// A text provider's HTTP API on 127.0.0.1 (port 0): records every call and answers each recipient
/// by its script (status codes in turn, the last one repeated; 200 by default, with a new id).
/// </summary>
public sealed class FakeTextProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int[]> _scripts = new();
    private readonly ConcurrentQueue<ProviderCall> _calls = new();
    private WebApplication _app = null!;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ProviderCall> CallsTo(string to) => _calls.Where(c => c.To == to).ToList();

    /// <summary>The answers for <paramref name="to"/>, one per call in order; the last repeats.</summary>
    public void Script(string to, params int[] statuses) => _scripts[to] = statuses;

    public static async Task<FakeTextProvider> StartAsync()
    {
        var provider = new FakeTextProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        provider._app = builder.Build();
        provider._app.MapPost("/v1/messages", provider.ReceiveAsync);
        await provider._app.StartAsync();
        var address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1") + "/v1/messages");
        return provider;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        var call = new ProviderCall(request.Headers.Authorization, request.Headers["Idempotency-Key"], body.GetProperty("to").GetString()!,
            body.GetProperty("channel").GetString()!, body.GetProperty("body").GetString()!, body.GetProperty("reference").GetString()!);
        var attempt = CallsTo(call.To).Count;
        _calls.Enqueue(call);
        var statuses = _scripts.GetValueOrDefault(call.To, [200]);
        var status = statuses[Math.Min(attempt, statuses.Length - 1)];
        return status == 200
            ? Results.Json(new { id = "fake-" + Guid.NewGuid().ToString("N"), status = "queued" })
            : Results.Json(new { error = "scripted " + status }, statusCode: status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
