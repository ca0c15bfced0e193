using MestresCafe.Orders;

namespace MestresCafe.Grains.Payments;

/// <summary>
/// The shape of a real payment gateway: a charge is created (authorized for cards, pending for Pix
/// and boleto), confirmed later through a signed webhook, and refunded by transaction id.
/// </summary>
public interface IPaymentGateway
{
    Task<GatewayCharge> CreateChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default);

    Task<GatewayRefund> RefundAsync(string transactionId, decimal amount, Guid refundId, CancellationToken cancellationToken = default);
}

/// <param name="Installments">A card's installments: the gateway charges <paramref name="Amount"/> (interest included) in that many.</param>
public sealed record ChargeRequest(Guid PaymentId, string OrderNumber, decimal Amount, PaymentMethodKind Method, string? CardToken, int Installments = 1);

public enum GatewayChargeStatus
{
    /// <summary>Waiting for the payer (Pix, boleto) or for capture; a webhook will tell.</summary>
    Pending,
    Authorized,
    Declined,
    /// <summary>No answer in time: the outcome is unknown until a webhook arrives or the order expires.</summary>
    TimedOut,
}

public sealed record GatewayCharge(GatewayChargeStatus Status, string? TransactionId, string? PixCode, string? BoletoLine, string? DeclineReason);

public sealed record GatewayRefund(bool Succeeded, string? RefundId, string? Error);
