using MestresCafe.Orders;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Orders;

/// <summary>Starts the order sweeper when a silo starts (see <see cref="BackgroundSiloStart"/>).</summary>
internal sealed class OrderSweeperStartup(IGrainFactory grains, ILogger<OrderSweeperStartup> logger) : BackgroundSiloStart(logger)
{
    protected override string What => "The order sweeper";

    protected override Task StartAsync(CancellationToken stopping) => grains.GetGrain<IOrderSweeperGrain>(0).StartAsync();
}
