using MestresCafe.Payments;

namespace MestresCafe.Grains.Tests.Payments;

/// <summary>The card installment rule: counts offered, the Price table, rounding to the cent.</summary>
public sealed class InstallmentsTests
{
    /// <summary>Up to 12 installments, the first 3 interest-free, 1.99% a month after, none below R$ 10.</summary>
    private static readonly PaymentMethodConfig Card = new()
    {
        MaxInstallments = 12, InterestFreeInstallments = 3, MonthlyInterestRate = 1.99m, MinInstallmentAmount = 10m,
    };

    [Fact]
    public void An_interest_free_split_puts_the_cents_left_over_on_the_first_installment()
    {
        var plan = Installments.Plan(100m, 3, Card);

        Assert.Equal((33.34m, 33.33m, 100m, 0m, 100m, 0m), (plan.FirstInstallment, plan.Installment, plan.Total, plan.Interest, plan.Principal, plan.MonthlyInterestRate));
        Assert.Equal(plan.Total, plan.FirstInstallment + plan.Installment * (plan.Count - 1));
        Assert.True(plan.InterestFree);
    }

    [Fact]
    public void An_even_split_has_equal_installments()
    {
        var plan = Installments.Plan(90m, 3, Card);

        Assert.Equal((30m, 30m), (plan.FirstInstallment, plan.Installment));
    }

    [Fact]
    public void The_last_interest_free_count_has_no_interest_and_the_next_one_has_the_price_tables()
    {
        var lastFree = Installments.Plan(300m, 3, Card);
        var firstWithInterest = Installments.Plan(300m, 4, Card);

        Assert.Equal((0m, 300m), (lastFree.Interest, lastFree.Total));
        // PMT = 300 · 0.0199 · 1.0199^4 / (1.0199^4 − 1) = 78.7680...; 4 of them = 315.07 to the cent,
        // split into 78.76 three times and 78.79 first.
        Assert.Equal((1.99m, 315.07m, 15.07m), (firstWithInterest.MonthlyInterestRate, firstWithInterest.Total, firstWithInterest.Interest));
        Assert.Equal((78.79m, 78.76m), (firstWithInterest.FirstInstallment, firstWithInterest.Installment));
    }

    [Fact]
    public void Twelve_installments_of_a_thousand_at_1_99_percent_are_94_50_each_as_every_price_table_says()
    {
        var plan = Installments.Plan(1000m, 12, Card);

        // 12 × 94.5015... = 1134.02 to the cent; 11 of 94.50 and the first takes the 2 cents left.
        Assert.Equal((94.52m, 94.50m, 1134.02m, 134.02m), (plan.FirstInstallment, plan.Installment, plan.Total, plan.Interest));
        Assert.Equal(plan.Total, plan.FirstInstallment + plan.Installment * 11);
    }

    [Fact]
    public void The_price_installment_matches_the_formula_and_is_a_plain_division_without_interest()
    {
        Assert.Equal(94.5015m, decimal.Round(Installments.PriceInstallment(1000m, 0.0199m, 12), 4));
        Assert.Equal(25m, Installments.PriceInstallment(100m, 0m, 4));
    }

    [Theory]
    [InlineData(30.00, 3, true)]   // 3 × 10.00: exactly the minimum
    [InlineData(29.99, 3, false)]  // 10.00 + 9.99 + 9.99: the others fall below
    [InlineData(29.99, 2, true)]
    [InlineData(5.00, 1, true)]    // one installment is never refused for being small
    [InlineData(1000, 12, true)]
    [InlineData(1000, 13, false)]  // above the maximum
    [InlineData(1000, 0, false)]
    public void A_count_is_offered_within_the_maximum_and_while_each_installment_reaches_the_minimum(decimal amount, int count, bool offered)
    {
        Assert.Equal(offered, Installments.Check(amount, count, Card) is null);
    }

    [Fact]
    public void The_minimum_is_checked_on_the_installment_with_interest()
    {
        // 4 interest-free installments of 39.60 would be 9.90 each: below R$ 10. With 1.99% a
        // month (count 4 is above the interest-free 3) they total 41.59, 10.39 each: offered.
        Assert.Equal(InstallmentRefusal.BelowMinimumInstallment, Installments.Check(39.60m, 4, Card with { MonthlyInterestRate = 0m }));
        Assert.Null(Installments.Check(39.60m, 4, Card));
    }

    [Fact]
    public void The_table_lists_every_count_the_amount_allows_from_one_up()
    {
        var table = Installments.Table(45m, Card);

        Assert.Equal([1, 2, 3, 4], table.Select(p => p.Count));
        Assert.All(table, p => Assert.Equal(p.Total, p.FirstInstallment + p.Installment * (p.Count - 1)));
        Assert.All(table.Where(p => p.Count <= 3), p => Assert.Equal(45m, p.Total));
        Assert.True(table[3].Total > 45m);
    }

    [Fact]
    public void Without_settings_a_card_takes_one_installment_only()
    {
        Assert.Equal([1], Installments.Table(500m, new PaymentMethodConfig()).Select(p => p.Count));
        Assert.Equal(InstallmentRefusal.CountNotOffered, Installments.Check(500m, 2, new PaymentMethodConfig()));
    }

    [Fact]
    public void Counts_above_the_interest_free_ones_without_a_rate_cost_nothing_more()
    {
        var plan = Installments.Plan(100m, 6, new PaymentMethodConfig { MaxInstallments = 6, InterestFreeInstallments = 3 });

        Assert.Equal((0m, 100m, 16.70m, 16.66m), (plan.Interest, plan.Total, plan.FirstInstallment, plan.Installment));
    }
}
