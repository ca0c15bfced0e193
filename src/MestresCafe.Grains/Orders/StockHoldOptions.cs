using MestresCafe.Orders;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// How much stock an unpaid order may hold, and for how long (<c>StockHolds</c>). An unpaid order
/// holds units nobody else can buy; without caps one account could take a micro-lot off the shelf
/// with boletos it never pays. The defaults are what a specialty coffee store sells to a household:
/// a few bags of one coffee per order, a couple of orders' worth across open orders.
/// </summary>
public sealed class StockHoldOptions
{
    public const string Section = "StockHolds";

    /// <summary>Units of one item one order may take (a larger purchase is a B2B sale, quoted by the team).</summary>
    public int MaxUnitsPerOrderLine { get; set; } = 10;

    /// <summary>Units of one item that one customer's unpaid orders may hold together.</summary>
    public int MaxUnitsPerCustomer { get; set; } = 20;

    /// <summary>
    /// How long a boleto order holds its stock. The boleto stays payable for its whole window (days),
    /// but most are paid within hours or never; past the hold the units go back on sale and a late
    /// payment finds them or is refunded.
    /// </summary>
    public TimeSpan BoletoStockHold { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How long an order paid with <paramref name="method"/> holds stock when it may be paid within <paramref name="window"/>.</summary>
    public TimeSpan HoldFor(PaymentMethodKind method, TimeSpan window) =>
        method == PaymentMethodKind.Boleto && BoletoStockHold < window ? BoletoStockHold : window;

    /// <summary>Refuses to start with caps that would let nothing be bought, or holds that never hold.</summary>
    public sealed class Validator : IValidateOptions<StockHoldOptions>
    {
        public ValidateOptionsResult Validate(string? name, StockHoldOptions options) =>
            options.MaxUnitsPerOrderLine is < 1 or > 999
                ? ValidateOptionsResult.Fail($"{Section}:{nameof(MaxUnitsPerOrderLine)} must be between 1 and 999.")
                : options.MaxUnitsPerCustomer < options.MaxUnitsPerOrderLine
                    ? ValidateOptionsResult.Fail($"{Section}:{nameof(MaxUnitsPerCustomer)} must be at least {nameof(MaxUnitsPerOrderLine)}.")
                    : options.BoletoStockHold <= TimeSpan.Zero
                        ? ValidateOptionsResult.Fail($"{Section}:{nameof(BoletoStockHold)} must be positive.")
                        : ValidateOptionsResult.Success;
    }
}
