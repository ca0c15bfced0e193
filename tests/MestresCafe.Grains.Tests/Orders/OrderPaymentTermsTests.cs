using MestresCafe.Coupons;
using MestresCafe.Grains.Orders;
using MestresCafe.Grains.Payments;
using MestresCafe.Orders;
using MestresCafe.Payments;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>
/// The payment method's step at the end of pricing, on the test bed's order: R$ 300 of merchandise
/// (two bags at R$ 50, a moka pot at R$ 200), PAC free from R$ 199.
/// </summary>
public sealed class OrderPaymentTermsTests
{
    private readonly OrderTestBed _bed = new();

    private static readonly PaymentMethodSettings Pix = new(1, "Pix", "pix", "simulated", true, true, 1, new PaymentMethodConfig { DiscountPercentage = 5m });

    private static readonly PaymentMethodSettings Card = new(2, "Cartão", "credit_card", "simulated", true, false, 2, new PaymentMethodConfig
    {
        MaxInstallments = 12, InterestFreeInstallments = 6, MonthlyInterestRate = 1.99m, MinInstallmentAmount = 30m,
    });

    [Fact]
    public void A_pix_order_takes_its_discount_as_a_figure_of_its_own()
    {
        var order = _bed.Pending();

        Assert.Null(order.ApplyPaymentTerms(Pix, 1));

        var totals = order.Snapshot().Totals;
        Assert.Equal((300m, 0m, 15m, 0m, 285m), (totals.Subtotal, totals.Discount, totals.PaymentDiscount, totals.Shipping, totals.Total));
        AssertAddsUp(totals);
    }

    [Fact]
    public void The_pix_discount_applies_after_the_coupon_on_what_the_coupon_left()
    {
        var order = _bed.Pending(new CouponHoldResult(CouponHoldOutcome.Held, 30m, false));

        Assert.Null(order.ApplyPaymentTerms(Pix, 1));

        // 300 - 30 (coupon) = 270 of merchandise; 5% of it is 13.50; PAC stays free (270 >= 199).
        var totals = order.Snapshot().Totals;
        Assert.Equal((30m, 13.50m, 256.50m), (totals.Discount, totals.PaymentDiscount, totals.Total));
        AssertAddsUp(totals);
    }

    [Fact]
    public void A_card_in_interest_free_installments_costs_the_same_and_keeps_its_plan()
    {
        var order = _bed.Pending();

        Assert.Null(order.ApplyPaymentTerms(Card, 6));

        var snapshot = order.Snapshot();
        Assert.Equal((300m, 0m), (snapshot.Totals.Total, snapshot.Totals.Interest));
        Assert.Equal((6, 50m, 50m), (snapshot.Installments!.Count, snapshot.Installments.FirstInstallment, snapshot.Installments.Installment));
    }

    [Fact]
    public void A_card_beyond_the_interest_free_installments_charges_the_interest_in_the_total_and_the_payment()
    {
        var order = _bed.Pending();

        Assert.Null(order.ApplyPaymentTerms(Card, 10));
        order.Place(OrderTestBed.Command(), new GatewayCharge(GatewayChargeStatus.Authorized, OrderTestBed.Transaction, null, null, null));

        var snapshot = order.Snapshot();
        var plan = Installments.Plan(300m, 10, Card.Config);
        Assert.Equal((plan.Interest, plan.Total), (snapshot.Totals.Interest, snapshot.Totals.Total));
        Assert.True(plan.Interest > 0m);
        Assert.Equal(plan.Total, snapshot.Payment!.Amount);
        Assert.Equal(plan, snapshot.Installments);
        AssertAddsUp(snapshot.Totals);
    }

    [Fact]
    public void Refused_terms_leave_the_totals_as_they_were()
    {
        var order = _bed.Pending();
        var before = order.Snapshot().Totals;

        // 12 at 1.99% a month: 12 × 28.35 = 340.21, each below the R$ 30 minimum (11 would be 30.63 each: offered).
        Assert.Equal(PaymentTermsRefusal.BelowMinimumInstallment, order.ApplyPaymentTerms(Card, 12));
        Assert.Equal(PaymentTermsRefusal.InstallmentsNotOffered, order.ApplyPaymentTerms(Card, 13));
        Assert.Equal(PaymentTermsRefusal.InstallmentsNotForMethod, order.ApplyPaymentTerms(Pix, 2));
        Assert.Equal(PaymentTermsRefusal.MethodNotOffered, order.ApplyPaymentTerms(Card with { IsActive = false }, 1));
        Assert.Equal(PaymentTermsRefusal.AboveMethodMaximum, order.ApplyPaymentTerms(Pix with { Config = new PaymentMethodConfig { MaxOrderAmount = 299.99m } }, 1));

        Assert.Equal(before, order.Snapshot().Totals);
        Assert.Null(order.Snapshot().Installments);
    }

    [Fact]
    public void A_returned_item_refunds_its_share_after_the_pix_discount()
    {
        var line = new OrderLine("CAFE-1", 1, null, "Café", 2, 50m, 100m, []);
        var totals = new OrderTotals(300m, 30m, 0m, 0m, 256.50m) { PaymentDiscount = 13.50m };

        // 50 × (1 − 43.50 / 300) = 42.75
        Assert.Equal(42.75m, OrderRules.ReturnValue(line, 1, totals));
    }

    [Fact]
    public void A_returned_item_refunds_its_share_of_the_card_interest_too()
    {
        var line = new OrderLine("CAFE-1", 1, null, "Café", 2, 50m, 100m, []);
        var totals = new OrderTotals(300m, 0m, 0m, 0m, 330m) { Interest = 30m };

        // 50 of the 300 financed, plus 10% interest on it.
        Assert.Equal(55m, OrderRules.ReturnValue(line, 1, totals));
        // The whole order back: exactly what was charged.
        Assert.Equal(330m, OrderRules.ReturnValue(line with { UnitPrice = 300m }, 1, totals));
    }

    private static void AssertAddsUp(OrderTotals totals) =>
        Assert.Equal(totals.Total, totals.Subtotal - totals.Discount - totals.PaymentDiscount + totals.Shipping + totals.Tax + totals.Interest);
}
