using System.Text.Json.Serialization;
using MestresCafe.Orders;

namespace MestresCafe.Payments;

/// <summary>
/// One row of <c>payment_methods</c> as checkout and the back office read it: whether it is
/// offered, in which order, and its settings (<see cref="PaymentMethodConfig"/>).
/// </summary>
public sealed record PaymentMethodSettings(
    long Id,
    string Name,
    string Type,
    string Provider,
    bool IsActive,
    bool IsDefault,
    int SortOrder,
    PaymentMethodConfig Config)
{
    /// <summary>The checkout's kind of this method; null for a type checkout does not take (debit_card).</summary>
    public PaymentMethodKind? Kind => SnakeCaseNames.TryParse<PaymentMethodKind>(Type, out var kind) ? kind : null;
}

/// <summary>
/// The settings kept in <c>payment_methods.configuration</c> (jsonb, snake_case keys) that checkout
/// applies. Absent means "not used": no discount, one installment, no limit. Other keys the row
/// holds (a label, the card brands, boleto instructions) are kept as they are.
/// </summary>
public sealed record PaymentMethodConfig
{
    /// <summary>Pix: percentage off the merchandise after the coupon (0 to 50).</summary>
    [JsonPropertyName("discount_percentage")] public decimal? DiscountPercentage { get; init; }

    /// <summary>Card: the most installments offered (1 to 24).</summary>
    [JsonPropertyName("max_installments")] public int? MaxInstallments { get; init; }

    /// <summary>Card: counts from 1 up to this one carry no interest.</summary>
    [JsonPropertyName("interest_free_installments")] public int? InterestFreeInstallments { get; init; }

    /// <summary>Card: monthly interest in percent (Tabela Price) for counts above the interest-free ones.</summary>
    [JsonPropertyName("monthly_interest_rate")] public decimal? MonthlyInterestRate { get; init; }

    /// <summary>Card: no installment below this value (a purchase in one installment is always allowed).</summary>
    [JsonPropertyName("min_installment_amount")] public decimal? MinInstallmentAmount { get; init; }

    /// <summary>Boleto: days until it falls due, which is the order's payment window.</summary>
    [JsonPropertyName("due_days")] public int? DueDays { get; init; }

    /// <summary>Any method: offered only for orders of at least this total (before the method's own discount or interest).</summary>
    [JsonPropertyName("min_order_amount")] public decimal? MinOrderAmount { get; init; }

    /// <summary>Any method: offered only for orders of at most this total.</summary>
    [JsonPropertyName("max_order_amount")] public decimal? MaxOrderAmount { get; init; }
}
