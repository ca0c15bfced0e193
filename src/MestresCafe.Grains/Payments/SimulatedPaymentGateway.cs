using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MestresCafe.Orders;
using MestresCafe.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Payments;

/// <summary>
/// A gateway that behaves like a real one without leaving the machine. Card tokens choose the
/// outcome: <c>tok_declined</c> is declined, <c>tok_timeout</c> never answers in time, any other
/// token is authorized. Pix and boleto charges wait for the payer. With AutoConfirm on, every
/// authorized or pending charge is confirmed by a signed webhook after a short delay.
/// </summary>
public sealed class SimulatedPaymentGateway(
    IOptions<PaymentOptions> options,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    ILogger<SimulatedPaymentGateway> logger) : IPaymentGateway
{
    // Charges by payment id: the gateway is idempotent per charge, as real ones are per idempotency key.
    private readonly ConcurrentDictionary<Guid, GatewayCharge> _charges = new();

    public Task<GatewayCharge> CreateChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default)
    {
        var charge = _charges.GetOrAdd(request.PaymentId, _ => NewCharge(request));
        if (options.Value.AutoConfirm && charge.Status is GatewayChargeStatus.Authorized or GatewayChargeStatus.Pending)
        {
            _ = ConfirmLaterAsync(request, charge.TransactionId!);
        }

        return Task.FromResult(charge);
    }

    public Task<GatewayRefund> RefundAsync(string transactionId, decimal amount, Guid refundId, CancellationToken cancellationToken = default) =>
        Task.FromResult(amount > 0
            ? new GatewayRefund(true, "re_" + refundId.ToString("N")[..16], null)
            : new GatewayRefund(false, null, "amount must be positive"));

    private static GatewayCharge NewCharge(ChargeRequest request)
    {
        var transactionId = "ch_" + request.PaymentId.ToString("N")[..20];
        return request.Method switch
        {
            PaymentMethodKind.CreditCard when request.CardToken == "tok_declined" =>
                new GatewayCharge(GatewayChargeStatus.Declined, transactionId, null, null, "card_declined"),
            PaymentMethodKind.CreditCard when request.CardToken == "tok_timeout" =>
                new GatewayCharge(GatewayChargeStatus.TimedOut, null, null, null, null),
            PaymentMethodKind.CreditCard => new GatewayCharge(GatewayChargeStatus.Authorized, transactionId, null, null, null),
            PaymentMethodKind.Pix => new GatewayCharge(GatewayChargeStatus.Pending, transactionId,
                $"00020101021226880014br.gov.bcb.pix2566pix.mestres.cafe/qr/{transactionId}5204000053039865406{request.Amount.ToString("0.00", CultureInfo.InvariantCulture)}5802BR6304", null, null),
            _ => new GatewayCharge(GatewayChargeStatus.Pending, transactionId, null,
                "34191.79001 01043.510047 91020.150008 " + RandomNumberGenerator.GetInt32(1, 9) + " " + request.Amount.ToString("0000000000", CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal), null),
        };
    }

    private async Task ConfirmLaterAsync(ChargeRequest request, string transactionId)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookUrl))
        {
            return;
        }

        try
        {
            await Task.Delay(settings.ConfirmationDelay, clock);
            var webhook = new GatewayWebhook("evt_" + Guid.NewGuid().ToString("N"), "payment.captured", clock.GetUtcNow(),
                new GatewayWebhookData(transactionId, request.OrderNumber, request.Amount));
            var body = JsonSerializer.Serialize(webhook, JsonSerializerOptions.Web);
            using var message = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            message.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(settings.WebhookSecret!, clock.GetUtcNow(), body));
            using var response = await httpClients.CreateClient(nameof(SimulatedPaymentGateway)).SendAsync(message);
            logger.LogInformation("Gateway webhook for {Order} answered {Status}", request.OrderNumber, (int)response.StatusCode);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Gateway webhook for {Order} could not be delivered", request.OrderNumber);
        }
    }
}
