using System.Net;
using System.Net.Sockets;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Cluster;

/// <summary>
/// Test servers never die of a port another test took between the pick and the bind: HTTP binds
/// port 0 and the server reports what it got; ports that must be picked are picked again.
/// </summary>
public sealed class PortRaceTests
{
    [Fact]
    public async Task A_start_that_finds_its_port_taken_is_retried_with_a_new_port()
    {
        using var thief = new TcpListener(IPAddress.Loopback, 0);
        thief.Start();
        var taken = ((IPEndPoint)thief.LocalEndpoint).Port;
        var attempts = new List<int>();

        using var listener = await FreePort.StartAsync(() =>
        {
            var port = attempts.Count == 0 ? taken : FreePort.Next();
            attempts.Add(port);
            var candidate = new TcpListener(IPAddress.Loopback, port);
            candidate.Start();
            return Task.FromResult(candidate);
        });

        Assert.Equal(2, attempts.Count);
        Assert.NotEqual(taken, ((IPEndPoint)listener.LocalEndpoint).Port);
    }

    [Fact]
    public async Task A_server_process_reports_the_http_port_it_bound()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(nameof(PortRaceTests));

        await using var server = await ServerProcess.StartAsync(database.ConnectionString, "ports-" + Guid.NewGuid().ToString("N")[..8],
            settings: new Dictionary<string, string> { ["Database__MigrateOnStartup"] = "false" });

        Assert.NotEqual(0, server.HttpPort);
        Assert.Contains($"Now listening on: http://127.0.0.1:{server.HttpPort}", server.Output, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.True((await http.GetAsync("/health/live")).IsSuccessStatusCode);
    }
}
