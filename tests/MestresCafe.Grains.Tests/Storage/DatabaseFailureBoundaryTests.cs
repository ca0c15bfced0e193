using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace MestresCafe.Grains.Tests.Storage;

/// <summary>
/// What a database failure looks like to a grain's caller: our exception, serializable across
/// silos, keeping the message and whether a retry may succeed.
/// </summary>
public sealed class DatabaseFailureBoundaryTests
{
    private static readonly Serializer _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void An_unreachable_database_becomes_a_transient_exception_that_crosses_silos_intact()
    {
        var cause = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        var copy = RoundTrip(new GrainStateUnavailableException(cause));

        var unavailable = Assert.IsType<GrainStateUnavailableException>(copy);
        Assert.True(unavailable.IsTransient);
        Assert.Contains("Connection refused", unavailable.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(GrainStateUnavailableException.IsOutage(unavailable));
    }

    [Fact]
    public void A_bad_statement_is_not_transient()
    {
        var cause = new PostgresException("syntax error", "ERROR", "ERROR", "42601");

        var unavailable = Assert.IsType<GrainStateUnavailableException>(RoundTrip(new GrainStateUnavailableException(cause)));

        Assert.False(unavailable.IsTransient);
        Assert.False(GrainStateUnavailableException.IsOutage(unavailable));
    }

    private static Exception RoundTrip(Exception exception) => _serializer.Deserialize<Exception>(_serializer.SerializeToArray(exception))!;
}
