using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// How the order sweeper looks for orders with work due that no server holds (<c>OrderSweep</c>).
/// An active order keeps its own timers; the sweeper covers the order whose server died or that was
/// deactivated, so its period bounds how late such an order expires or reaches the read side.
/// </summary>
public sealed class OrderSweepOptions
{
    public const string Section = "OrderSweep";

    /// <summary>Time between sweeps: two small indexed queries each, and one write of the sweeper's mark.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a state write is left to commit before a sweep looks at it (see <c>DueOrderQuery</c>).</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Orders woken per sweep and per kind at most; a backlog is worked off over the next sweeps.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>Order grains woken at once, so that a backlog after a crash does not flood the cluster.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>
    /// How far back the very first sweep of a cluster looks (later sweeps continue from their stored
    /// mark): an upgrade from per-order reminders starts with the orders of the last minutes.
    /// </summary>
    public TimeSpan FirstLookBack { get; set; } = TimeSpan.FromMinutes(10);

    public sealed class Validator : IValidateOptions<OrderSweepOptions>
    {
        public ValidateOptionsResult Validate(string? name, OrderSweepOptions options) =>
            options.Period <= TimeSpan.Zero || options.Settle < TimeSpan.Zero || options.FirstLookBack < TimeSpan.Zero
                ? ValidateOptionsResult.Fail($"{Section}: {nameof(Period)} must be positive, {nameof(Settle)} and {nameof(FirstLookBack)} not negative.")
                : options.BatchSize < 1 || options.Parallelism < 1
                    ? ValidateOptionsResult.Fail($"{Section}: {nameof(BatchSize)} and {nameof(Parallelism)} must be at least 1.")
                    : ValidateOptionsResult.Success;
    }
}
