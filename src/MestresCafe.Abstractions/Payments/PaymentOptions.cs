using MestresCafe.Orders;

namespace MestresCafe.Payments;

public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>
    /// The secret the gateway signs webhooks with (<c>Payments:WebhookSecret</c>). It has no default:
    /// the server refuses to start without one (<c>SecretSetting</c>).
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The simulated gateway confirms charges by itself, posting the webhook to
    /// <see cref="WebhookUrl"/> after <see cref="ConfirmationDelay"/> (demo). Tests drive webhooks themselves.
    /// </summary>
    public bool AutoConfirm { get; set; }

    public string? WebhookUrl { get; set; }

    public TimeSpan ConfirmationDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an order waits for its payment before it is cancelled and its holds released.</summary>
    public TimeSpan PixWindow { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan CardWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan BoletoWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Reservations outlive the payment window by this much, so the order releases them first.</summary>
    public TimeSpan ReservationMargin { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan WindowFor(PaymentMethodKind method) => method switch
    {
        PaymentMethodKind.Pix => PixWindow,
        PaymentMethodKind.CreditCard => CardWindow,
        _ => BoletoWindow,
    };
}
