using MestresCafe.Orders;

namespace MestresCafe.Payments;

/// <summary>
/// What the back office may set on a payment method. Which settings apply depends on the method's
/// type (a Pix discount on a card makes no sense), so the rule runs against the stored row; the
/// answer is the errors by JSON key (<c>configuration.max_installments</c>), or null when valid.
/// </summary>
public static class PaymentMethodRules
{
    public const decimal MaxPixDiscountPercentage = 50m;
    public const decimal MaxMonthlyInterestRate = 10m;
    public const int MaxBoletoDueDays = 30;

    public static Dictionary<string, string[]>? Check(string type, PaymentMethodConfig config, bool isActive, bool isDefault)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string key, string message) => errors["configuration." + key] = [message];
        var card = type == PaymentMethodKind.CreditCard.ToSnakeCase();

        if (config.DiscountPercentage is { } discount)
        {
            if (type != PaymentMethodKind.Pix.ToSnakeCase())
            {
                Add("discount_percentage", "Only Pix takes a discount.");
            }
            else if (discount < 0m || discount > MaxPixDiscountPercentage || !InCents(discount))
            {
                Add("discount_percentage", $"A percentage from 0 to {MaxPixDiscountPercentage:0}, at most two decimals.");
            }
        }

        CheckCardOnly(card, config.MaxInstallments, "max_installments", Add);
        CheckCardOnly(card, config.InterestFreeInstallments, "interest_free_installments", Add);
        CheckCardOnly(card, config.MonthlyInterestRate, "monthly_interest_rate", Add);
        CheckCardOnly(card, config.MinInstallmentAmount, "min_installment_amount", Add);
        if (card)
        {
            var max = config.MaxInstallments ?? 1;
            if (max is < 1 or > Installments.MaxCount)
            {
                Add("max_installments", $"From 1 to {Installments.MaxCount}.");
            }

            if (config.InterestFreeInstallments is { } free && (free < 1 || free > max))
            {
                Add("interest_free_installments", "From 1 to max_installments.");
            }

            if (config.MonthlyInterestRate is { } rate && (rate < 0m || rate > MaxMonthlyInterestRate || decimal.Round(rate, 4) != rate))
            {
                Add("monthly_interest_rate", $"A monthly percentage from 0 to {MaxMonthlyInterestRate:0}, at most four decimals.");
            }
            else if (max > (config.InterestFreeInstallments ?? max) && config.MonthlyInterestRate is null)
            {
                Add("monthly_interest_rate", "Required when some installment counts are not interest-free.");
            }

            if (config.MinInstallmentAmount is { } minInstallment && (minInstallment < 0m || !InCents(minInstallment)))
            {
                Add("min_installment_amount", "An amount in reais, zero or more, in cents.");
            }
        }

        if (config.DueDays is { } days)
        {
            if (type != "boleto")
            {
                Add("due_days", "Only a boleto has due days.");
            }
            else if (days < 1 || days > MaxBoletoDueDays)
            {
                Add("due_days", $"From 1 to {MaxBoletoDueDays} days.");
            }
        }

        if (config.MinOrderAmount is { } minOrder && (minOrder < 0m || !InCents(minOrder)))
        {
            Add("min_order_amount", "An amount in reais, zero or more, in cents.");
        }

        if (config.MaxOrderAmount is { } maxOrder && (maxOrder <= 0m || !InCents(maxOrder)))
        {
            Add("max_order_amount", "An amount in reais, more than zero, in cents.");
        }
        else if (config.MaxOrderAmount < config.MinOrderAmount)
        {
            Add("max_order_amount", "Must not be below min_order_amount.");
        }

        if (isDefault && !isActive)
        {
            errors["isActive"] = ["The default payment method cannot be disabled: make another one the default first."];
        }

        return errors.Count == 0 ? null : errors;
    }

    private static void CheckCardOnly<T>(bool card, T? value, string key, Action<string, string> add) where T : struct
    {
        if (value is not null && !card)
        {
            add(key, "Only a credit card takes installments.");
        }
    }

    private static bool InCents(decimal value) => decimal.Round(value, 2) == value;
}
