using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Payments;
using MestresCafe.Orders;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Payments;

/// <summary>
/// GET /api/checkout/payment-options: what each payment method costs for an order total before
/// checkout, by the same rule checkout charges (<see cref="PaymentTerms"/>, <see cref="Installments"/>).
/// </summary>
public static class PaymentOptionsApi
{
    public static RouteGroupBuilder MapPaymentOptionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/checkout/payment-options", GetAsync)
            .AllowAnonymous()
            .WithTags("Checkout")
            .WithName("PaymentOptions")
            .WithSummary("The Pix price, the card installment table and the boleto for an order total.")
            .WithDescription("total is the order's total after the coupon and shipping; shipping (default 0) is the part of it the Pix discount "
                + "does not apply to. A method whose order limits exclude the total is listed as not available, with the reason.");
        return api;
    }

    private static async Task<Ok<PaymentOptionsView>> GetAsync(
        IPaymentMethodSource methods, CancellationToken cancellationToken,
        [Range(0.01, 1_000_000, ErrorMessage = "From {1} to {2}.")] decimal total,
        [Range(0, 1_000_000, ErrorMessage = "From {1} to {2}.")] decimal shipping = 0m)
    {
        total = decimal.Round(total, 2);
        shipping = Math.Min(decimal.Round(shipping, 2), total);
        var all = await methods.GetAsync(cancellationToken);
        var options = new List<PaymentOptionView>();
        foreach (var kind in Enum.GetValues<PaymentMethodKind>())
        {
            var method = PaymentTerms.Find(all, kind);
            // Invoiced payment depends on the buyer's approved account, not on the total: not listed here (GET /api/me/credit).
            if (method is not { IsActive: true } || kind == PaymentMethodKind.Invoice)
            {
                continue;
            }

            var refusal = PaymentTerms.CheckMethod(method, total);
            var pixDiscount = kind == PaymentMethodKind.Pix ? PaymentTerms.PixDiscount(total - shipping, method.Config) : 0m;
            options.Add(new PaymentOptionView(
                kind, method.Name, method.SortOrder, refusal is null, refusal is { } r ? PaymentTerms.Explain(r, method) : null,
                total - pixDiscount, pixDiscount, method.Config.DiscountPercentage,
                kind == PaymentMethodKind.CreditCard && refusal is null ? Installments.Table(total, method.Config) : [],
                kind == PaymentMethodKind.Boleto ? method.Config.DueDays : null));
        }

        return TypedResults.Ok(new PaymentOptionsView(total, options.OrderBy(o => o.SortOrder).ToList()));
    }
}

public sealed record PaymentOptionsView(decimal Total, IReadOnlyList<PaymentOptionView> Methods);

/// <param name="Price">What the customer pays in one payment: the total less the Pix discount.</param>
/// <param name="Installments">Card: every count offered for this total, with its installment values and total.</param>
public sealed record PaymentOptionView(
    PaymentMethodKind Method,
    string Name,
    int SortOrder,
    bool Available,
    string? Detail,
    decimal Price,
    decimal Discount,
    decimal? DiscountPercentage,
    IReadOnlyList<InstallmentPlan> Installments,
    int? DueDays);
