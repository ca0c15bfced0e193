using MestresCafe.Orders;
using MestresCafe.Payments;

namespace MestresCafe.Grains.Tests.Payments;

/// <summary>The payment method's step at the end of pricing (Pix discount, order limits) and the back office's settings rule.</summary>
public sealed class PaymentTermsTests
{
    private static PaymentMethodSettings Method(string type, PaymentMethodConfig config, bool active = true) =>
        new(1, type, type, "simulated", active, false, 1, config);

    [Theory]
    [InlineData(200, 5, 10.00)]
    [InlineData(99.99, 5, 5.00)]    // 4.9995 rounds half away from zero
    [InlineData(10.10, 2.5, 0.25)]  // 0.2525
    [InlineData(0, 5, 0)]
    [InlineData(100, 0, 0)]
    public void The_pix_discount_is_a_percentage_of_the_merchandise_in_cents(decimal merchandise, decimal percentage, decimal discount)
    {
        Assert.Equal(discount, PaymentTerms.PixDiscount(merchandise, new PaymentMethodConfig { DiscountPercentage = percentage }));
    }

    [Fact]
    public void Order_limits_and_an_inactive_method_refuse_the_method()
    {
        var limited = Method("boleto", new PaymentMethodConfig { MinOrderAmount = 50m, MaxOrderAmount = 5000m });

        Assert.Null(PaymentTerms.CheckMethod(limited, 50m));
        Assert.Null(PaymentTerms.CheckMethod(limited, 5000m));
        Assert.Equal(PaymentTermsRefusal.BelowMethodMinimum, PaymentTerms.CheckMethod(limited, 49.99m));
        Assert.Equal(PaymentTermsRefusal.AboveMethodMaximum, PaymentTerms.CheckMethod(limited, 5000.01m));
        Assert.Equal(PaymentTermsRefusal.MethodNotOffered, PaymentTerms.CheckMethod(limited with { IsActive = false }, 100m));
        Assert.Equal(PaymentTermsRefusal.MethodNotOffered, PaymentTerms.CheckMethod(null, 100m));
    }

    [Fact]
    public void Only_a_card_takes_more_than_one_installment()
    {
        var card = Method("credit_card", new PaymentMethodConfig { MaxInstallments = 6, MinInstallmentAmount = 30m });
        var pix = Method("pix", new PaymentMethodConfig());

        Assert.Null(PaymentTerms.CheckInstallments(pix, 100m, 1));
        Assert.Equal(PaymentTermsRefusal.InstallmentsNotForMethod, PaymentTerms.CheckInstallments(pix, 100m, 2));
        Assert.Null(PaymentTerms.CheckInstallments(card, 180m, 6));
        Assert.Equal(PaymentTermsRefusal.BelowMinimumInstallment, PaymentTerms.CheckInstallments(card, 179.99m, 6));
        Assert.Equal(PaymentTermsRefusal.InstallmentsNotOffered, PaymentTerms.CheckInstallments(card, 1000m, 7));
    }

    [Fact]
    public void The_first_active_method_of_a_kind_is_the_one_checkout_uses()
    {
        var methods = new[]
        {
            Method("pix", new PaymentMethodConfig()) with { Id = 1, SortOrder = 1, IsActive = false },
            Method("pix", new PaymentMethodConfig()) with { Id = 2, SortOrder = 5 },
            Method("pix", new PaymentMethodConfig()) with { Id = 3, SortOrder = 3 },
        };

        Assert.Equal(3, PaymentTerms.Find(methods, PaymentMethodKind.Pix)!.Id);
        Assert.Null(PaymentTerms.Find(methods, PaymentMethodKind.Boleto));
    }

    [Fact]
    public void Settings_that_fit_their_method_are_valid()
    {
        Assert.Null(PaymentMethodRules.Check("pix", new PaymentMethodConfig { DiscountPercentage = 5m, MinOrderAmount = 10m }, true, true));
        Assert.Null(PaymentMethodRules.Check("credit_card",
            new PaymentMethodConfig { MaxInstallments = 12, InterestFreeInstallments = 3, MonthlyInterestRate = 1.99m, MinInstallmentAmount = 10m }, true, false));
        Assert.Null(PaymentMethodRules.Check("boleto", new PaymentMethodConfig { DueDays = 3, MaxOrderAmount = 10_000m }, false, false));
    }

    [Fact]
    public void Settings_that_do_not_fit_are_refused_by_key()
    {
        Assert.Equal(["configuration.discount_percentage"], Keys("credit_card", new PaymentMethodConfig { DiscountPercentage = 5m }));
        Assert.Equal(["configuration.discount_percentage"], Keys("pix", new PaymentMethodConfig { DiscountPercentage = 60m }));
        Assert.Equal(["configuration.max_installments"], Keys("pix", new PaymentMethodConfig { MaxInstallments = 2 }));
        Assert.Equal(["configuration.max_installments"], Keys("credit_card", new PaymentMethodConfig { MaxInstallments = 25 }));
        Assert.Equal(["configuration.interest_free_installments"], Keys("credit_card", new PaymentMethodConfig { MaxInstallments = 6, InterestFreeInstallments = 7 }));
        Assert.Equal(["configuration.monthly_interest_rate"], Keys("credit_card", new PaymentMethodConfig { MaxInstallments = 6, InterestFreeInstallments = 3 }));
        Assert.Equal(["configuration.monthly_interest_rate"], Keys("credit_card", new PaymentMethodConfig { MaxInstallments = 6, InterestFreeInstallments = 3, MonthlyInterestRate = 12m }));
        Assert.Equal(["configuration.min_installment_amount"], Keys("credit_card", new PaymentMethodConfig { MinInstallmentAmount = 10.001m }));
        Assert.Equal(["configuration.due_days"], Keys("boleto", new PaymentMethodConfig { DueDays = 0 }));
        Assert.Equal(["configuration.due_days"], Keys("pix", new PaymentMethodConfig { DueDays = 3 }));
        Assert.Equal(["configuration.max_order_amount"], Keys("boleto", new PaymentMethodConfig { MinOrderAmount = 100m, MaxOrderAmount = 99m }));
        Assert.Equal(["isActive"], Keys("pix", new PaymentMethodConfig(), active: false, isDefault: true));
    }

    private static IEnumerable<string> Keys(string type, PaymentMethodConfig config, bool active = true, bool isDefault = false) =>
        PaymentMethodRules.Check(type, config, active, isDefault)?.Keys.Order() ?? Enumerable.Empty<string>();
}
