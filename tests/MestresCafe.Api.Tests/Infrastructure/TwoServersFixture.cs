using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>
/// One pair of demo servers (<see cref="TwoServers"/>) on one database, shared by the cross-server
/// classes of the <see cref="TwoServersCollection"/>: starting two server processes costs more than
/// any of their tests, and each test works on rows of its own (its own SKU, post or order).
/// </summary>
public sealed class TwoServersFixture : IAsyncLifetime
{
    private TwoServers _servers = null!;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>A manager's client of the first server.</summary>
    public HttpClient One => _servers.One;

    /// <summary>The same manager's client of the second server.</summary>
    public HttpClient Two => _servers.Two;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateMigratedAsync(nameof(TwoServersFixture));
        _servers = await TwoServers.StartAsync(Database, "two-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoServersCollection : ICollectionFixture<TwoServersFixture>
{
    public const string Name = "Two demo servers";
}
