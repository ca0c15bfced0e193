using System.Collections.Concurrent;
using MestresCafe.Grains.Payments;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>
/// A gateway that records every refund it is asked for, by transaction, across every silo of an
/// in-process cluster: what left the merchant's account, whatever the order's state says. Charges
/// are authorized (card) or pending (Pix, boleto), like the simulated gateway's.
/// </summary>
internal sealed class RecordingGateway : IPaymentGateway
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, decimal>> Refunds = new();

    /// <summary>What the gateway refunded for a transaction; one refund id counts once, as at a real gateway.</summary>
    public static decimal RefundedFor(string transactionId) =>
        Refunds.TryGetValue(transactionId, out var refunds) ? refunds.Values.Sum() : 0m;

    public Task<GatewayCharge> CreateChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        var transactionId = "ch_" + request.PaymentId.ToString("N")[..20];
        return Task.FromResult(request.Method == PaymentMethodKind.CreditCard
            ? new GatewayCharge(GatewayChargeStatus.Authorized, transactionId, null, null, null)
            : new GatewayCharge(GatewayChargeStatus.Pending, transactionId, null, "34191.79001 01043.510047", null));
    }

    public Task<GatewayRefund> RefundAsync(string transactionId, decimal amount, Guid refundId, CancellationToken cancellationToken = default)
    {
        Refunds.GetOrAdd(transactionId, _ => new()).TryAdd(refundId, amount);
        return Task.FromResult(new GatewayRefund(true, "re_" + refundId.ToString("N")[..16], null));
    }
}
