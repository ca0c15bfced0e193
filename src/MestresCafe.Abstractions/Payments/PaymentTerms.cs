using MestresCafe.Orders;

namespace MestresCafe.Payments;

/// <summary>Why checkout refuses a payment method's terms for an order.</summary>
[GenerateSerializer, Alias("mc.PaymentTermsRefusal")]
public enum PaymentTermsRefusal
{
    MethodNotOffered = 0,
    BelowMethodMinimum = 1,
    AboveMethodMaximum = 2,
    InstallmentsNotOffered = 3,
    BelowMinimumInstallment = 4,
    /// <summary>Installments were asked for a method that takes a single payment.</summary>
    InstallmentsNotForMethod = 5,
}

/// <summary>
/// What a payment method does to an order's total, applied as the last step of pricing, after line
/// prices, the coupon and shipping: the method's order limits, the Pix discount, the card's
/// installment plan. One pure rule for checkout and for the payment options shown before it.
/// </summary>
/// <remarks>
/// Order of application: lines at catalog price, then the coupon's discount, then shipping (its
/// free-PAC threshold looks at the merchandise after the coupon), then the method. The Pix
/// discount is a percentage of the merchandise after the coupon (shipping is not discounted);
/// card interest is charged on the whole total (merchandise and shipping) that is financed.
/// </remarks>
public static class PaymentTerms
{
    /// <summary>The Pix discount on <paramref name="merchandiseAfterCoupon"/>, in cents (half away from zero).</summary>
    public static decimal PixDiscount(decimal merchandiseAfterCoupon, PaymentMethodConfig config)
    {
        var percentage = config.DiscountPercentage ?? 0m;
        if (percentage <= 0m || merchandiseAfterCoupon <= 0m)
        {
            return 0m;
        }

        return Math.Min(merchandiseAfterCoupon, Math.Round(merchandiseAfterCoupon * percentage / 100m, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>Null when the method may pay an order of <paramref name="orderTotal"/> (before the method's own discount or interest).</summary>
    public static PaymentTermsRefusal? CheckMethod(PaymentMethodSettings? method, decimal orderTotal) =>
        method is not { IsActive: true } ? PaymentTermsRefusal.MethodNotOffered
        : method.Config.MinOrderAmount is { } min && orderTotal < min ? PaymentTermsRefusal.BelowMethodMinimum
        : method.Config.MaxOrderAmount is { } max && orderTotal > max ? PaymentTermsRefusal.AboveMethodMaximum
        : null;

    /// <summary>Null when <paramref name="installments"/> fits the method and the amount, else why not.</summary>
    public static PaymentTermsRefusal? CheckInstallments(PaymentMethodSettings method, decimal amount, int installments)
    {
        if (method.Kind != PaymentMethodKind.CreditCard)
        {
            return installments == 1 ? null : PaymentTermsRefusal.InstallmentsNotForMethod;
        }

        return Installments.Check(amount, installments, method.Config) switch
        {
            null => null,
            InstallmentRefusal.BelowMinimumInstallment => PaymentTermsRefusal.BelowMinimumInstallment,
            _ => PaymentTermsRefusal.InstallmentsNotOffered,
        };
    }

    /// <summary>A boleto falls due after its due days: that is the order's payment window; null leaves the server's default.</summary>
    public static TimeSpan? PaymentWindow(PaymentMethodSettings? method) =>
        method is { Kind: PaymentMethodKind.Boleto, Config.DueDays: { } days } ? TimeSpan.FromDays(days) : null;

    /// <summary>The first active method of a kind, in the back office's order.</summary>
    public static PaymentMethodSettings? Find(IEnumerable<PaymentMethodSettings> methods, PaymentMethodKind kind) =>
        methods.Where(m => m.Kind == kind).OrderByDescending(m => m.IsActive).ThenBy(m => m.SortOrder).ThenBy(m => m.Id).FirstOrDefault();

    public static string Explain(PaymentTermsRefusal refusal, PaymentMethodSettings? method) => refusal switch
    {
        PaymentTermsRefusal.MethodNotOffered => "This payment method is not offered.",
        PaymentTermsRefusal.BelowMethodMinimum => $"This payment method takes orders from R$ {method!.Config.MinOrderAmount:0.00}.",
        PaymentTermsRefusal.AboveMethodMaximum => $"This payment method takes orders up to R$ {method!.Config.MaxOrderAmount:0.00}.",
        PaymentTermsRefusal.BelowMinimumInstallment => $"Each installment must be at least R$ {method!.Config.MinInstallmentAmount:0.00}.",
        PaymentTermsRefusal.InstallmentsNotForMethod => "Only credit cards take installments.",
        _ => $"This card payment takes 1 to {Installments.MaxOffered(method!.Config)} installments.",
    };
}
