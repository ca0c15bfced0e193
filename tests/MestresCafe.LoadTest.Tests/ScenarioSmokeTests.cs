using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Scenarios;
using MestresCafe.Testing;
using Xunit;

namespace MestresCafe.LoadTest.Tests;

/// <summary>
/// Each scenario for a second or two with small numbers against one real server (shared by the
/// class to keep the suite fast); the invariant checker must pass after each.
/// </summary>
public sealed class ScenarioSmokeTests(ScenarioSmokeTests.Server server) : IClassFixture<ScenarioSmokeTests.Server>
{
    private static readonly Bounds Small = new(8, TimeSpan.FromSeconds(2), 400);

    // HTTP runs end by count; the time bound only guards a cold, busy machine.
    private static readonly Bounds SmallHttp = new(8, TimeSpan.FromSeconds(60), 400);

    [Fact]
    public async Task Hot_sku_reservations_keep_every_invariant()
    {
        var result = await ReserveScenario.RunAsync(server.Cluster, Small, stock: 100, groupCommit: true, writesInFlight: 2, progress: null);
        Assert.True(result.Invariants!.Passed, result.ToTable());
        Assert.Equal(100, result.Operations.Single().Ok); // limited stock: exactly the stock is sold
    }

    [Fact]
    public async Task Sql_baseline_never_oversells()
    {
        var result = await SqlBaselineScenario.RunAsync(server.Database.ConnectionString, Small, stock: 50, progress: null);
        Assert.True(result.Invariants!.Passed, result.ToTable());
        Assert.Equal(50, result.Operations.Single().Ok);
    }

    [Fact]
    public async Task Flash_sale_sells_no_more_than_the_stock()
    {
        var result = await FlashSaleScenario.RunAsync(server.Cluster, new(Buyers: 60, Skus: 2, StockPerSku: 10, SmallHttp), progress: null);
        Assert.True(result.Invariants!.Passed, result.ToTable());
        Assert.Equal(20, result.Operations.Single(o => o.Operation == "checkout").Ok);
    }

    [Fact]
    public async Task Checkout_mix_creates_orders_and_keeps_every_invariant()
    {
        var result = await CheckoutMixScenario.RunAsync(server.Cluster, catalogSize: 10, SmallHttp with { MaxOperations = 30 }, progress: null);
        Assert.True(result.Invariants!.Passed, result.ToTable());
        Assert.True(result.Operations.Single(o => o.Operation == "checkout").Ok > 0, result.ToTable());
        // Card payments confirmed by webhook reach paid, and their points were accounted for.
        Assert.True(
            result.Invariants.Notes.Any(n => n.StartsWith("loyalty: ", StringComparison.Ordinal) && !n.StartsWith("loyalty: 0 ", StringComparison.Ordinal)),
            string.Join('\n', result.Invariants.Notes) + "\nserver output:\n" + server.Cluster.Servers.Single().Output[^Math.Min(4000, server.Cluster.Servers.Single().Output.Length)..]);
    }

    [Fact]
    public async Task Catalog_browse_answers_without_errors()
    {
        var result = await CatalogScenario.RunAsync(server.Cluster, catalogSize: 5, SmallHttp with { MaxOperations = 60 }, progress: null);
        Assert.True(result.Operations.All(o => o.Errors == 0), result.ToTable());
        Assert.True(result.Operations.Sum(o => o.Ok) > 0);
    }

    [Fact]
    public async Task A_run_attaches_to_servers_it_did_not_start_and_leaves_them_running()
    {
        await using (var attached = await LoadCluster.AttachAsync(server.Database.ConnectionString, server.Cluster.ClusterId, server.Cluster.ClusterId, server.Cluster.Endpoints))
        {
            var result = await FlashSaleScenario.RunAsync(attached, new(Buyers: 12, Skus: 1, StockPerSku: 5, SmallHttp), progress: null);
            Assert.True(result.Invariants!.Passed, result.ToTable());
            Assert.Equal(5, result.Operations.Single(o => o.Operation == "checkout").Ok);
        }

        Assert.False(server.Cluster.Servers.Single().HasExited);
    }

    public sealed class Server : IAsyncLifetime
    {
        public TestDatabase Database { get; private set; } = null!;
        public LoadCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Database = await TestDatabase.CreateMigratedAsync("loadsmoke");
            // Before any traffic: an account that saw no active program ignores that order's points
            // (the program did not exist yet), and accounts cache the program for a few seconds.
            await Seeding.InsertLoyaltyProgramAsync(Database.DataSource);
            var settings = LoadCluster.DefaultSettings(groupCommit: true);
            CheckoutMixScenario.ConfigureServers(settings);
            Cluster = await LoadCluster.StartAsync(Database.ConnectionString, 1, settings);
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
