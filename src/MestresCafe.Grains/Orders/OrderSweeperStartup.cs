using MestresCafe.Orders;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// Starts the order sweeper when a silo starts, so that a cluster always has one, from its first
/// silo on. In the background and retried: a database that is not reachable yet must not stop the
/// silo from starting, and the sweeper must still start once it is.
/// </summary>
internal sealed class OrderSweeperStartup(IGrainFactory grains, ILogger<OrderSweeperStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrderSweeperStartup), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartSweeperAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _starting;
        }
        catch (OperationCanceledException)
        {
            // Stopped before the sweeper could be started: another silo starts it.
        }
    }

    private async Task StartSweeperAsync(CancellationToken stopping)
    {
        for (var backoff = TimeSpan.FromSeconds(1); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks)))
        {
            try
            {
                await grains.GetGrain<IOrderSweeperGrain>(0).StartAsync();
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(error, "The order sweeper could not be started; retrying in {Backoff}", backoff);
            }

            await Task.Delay(backoff, stopping);
        }
    }
}
