namespace MestresCafe.Payments;

/// <summary>
/// How a card payment is split: <see cref="Count"/> monthly installments, the first of
/// <see cref="FirstInstallment"/> (it carries the cents a split leaves over) and the others of
/// <see cref="Installment"/>, adding up to <see cref="Total"/> = <see cref="Principal"/> + <see cref="Interest"/>.
/// </summary>
[GenerateSerializer, Alias("mc.InstallmentPlan")]
public sealed record InstallmentPlan(
    [property: Id(0)] int Count,
    [property: Id(1)] decimal FirstInstallment,
    [property: Id(2)] decimal Installment,
    [property: Id(3)] decimal Principal,
    [property: Id(4)] decimal Interest,
    [property: Id(5)] decimal Total,
    [property: Id(6)] decimal MonthlyInterestRate)
{
    public bool InterestFree => Interest == 0m;

    /// <summary>One payment of the whole amount: what a Pix, a boleto or an order before this feature is.</summary>
    public static InstallmentPlan Single(decimal amount) => new(1, amount, amount, amount, 0m, amount, 0m);
}

public enum InstallmentRefusal
{
    /// <summary>Below 1 or above the method's maximum.</summary>
    CountNotOffered,
    /// <summary>Each installment would be below the method's minimum installment value.</summary>
    BelowMinimumInstallment,
}

/// <summary>
/// The card installment rule, free of everything else: which counts an amount may be split into
/// and what each costs. Counts up to <see cref="PaymentMethodConfig.InterestFreeInstallments"/> cost
/// nothing more; above, the monthly rate applies by the Price table (Tabela Price: equal
/// installments, PMT = PV·i / (1 − (1 + i)^−n)). Rounding: the total is rounded to the cent (half
/// away from zero) and split into equal installments rounded down to the cent, the first taking
/// the cents left over, so the installments always add up to the total exactly.
/// </summary>
public static class Installments
{
    /// <summary>No card plan in Brazil goes beyond this; the settings are validated against it.</summary>
    public const int MaxCount = 24;

    public static int MaxOffered(PaymentMethodConfig config) => Math.Clamp(config.MaxInstallments ?? 1, 1, MaxCount);

    /// <summary>Null when <paramref name="amount"/> may be paid in <paramref name="count"/> installments, else why not.</summary>
    public static InstallmentRefusal? Check(decimal amount, int count, PaymentMethodConfig config)
    {
        if (count < 1 || count > MaxOffered(config))
        {
            return InstallmentRefusal.CountNotOffered;
        }

        // One installment is the purchase itself: never refused for being small.
        return count > 1 && Plan(amount, count, config).Installment < (config.MinInstallmentAmount ?? 0m)
            ? InstallmentRefusal.BelowMinimumInstallment
            : null;
    }

    /// <summary>The plan of <paramref name="amount"/> in <paramref name="count"/> installments (check first with <see cref="Check"/>).</summary>
    public static InstallmentPlan Plan(decimal amount, int count, PaymentMethodConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rate = RateFor(count, config);
        var total = rate == 0m ? amount : Math.Round(PriceInstallment(amount, rate / 100m, count) * count, 2, MidpointRounding.AwayFromZero);
        var installment = Math.Floor(total * 100m / count) / 100m;
        var first = total - installment * (count - 1);
        return new InstallmentPlan(count, first, installment, amount, total - amount, total, rate);
    }

    /// <summary>Every count the amount may be split into, from 1 up: the table a customer chooses from.</summary>
    public static IReadOnlyList<InstallmentPlan> Table(decimal amount, PaymentMethodConfig config) =>
        Enumerable.Range(1, MaxOffered(config)).Where(n => Check(amount, n, config) is null).Select(n => Plan(amount, n, config)).ToList();

    /// <summary>The monthly rate in percent for a count: zero up to the interest-free counts.</summary>
    public static decimal RateFor(int count, PaymentMethodConfig config) =>
        count <= (config.InterestFreeInstallments ?? MaxOffered(config)) ? 0m : config.MonthlyInterestRate ?? 0m;

    /// <summary>The Price table's installment, unrounded: PV·i·(1+i)^n / ((1+i)^n − 1).</summary>
    public static decimal PriceInstallment(decimal principal, decimal monthlyRate, int count)
    {
        if (monthlyRate == 0m)
        {
            return principal / count;
        }

        // decimal has no power function; n is at most 24, and repeated products keep 28 digits.
        var growth = 1m;
        for (var month = 0; month < count; month++)
        {
            growth *= 1m + monthlyRate;
        }

        return principal * monthlyRate * growth / (growth - 1m);
    }
}
