using MestresCafe.Grains.Orders;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Tests.Orders;

public sealed class RefundRuleTests
{
    private static PaymentRecord Captured(decimal amount, decimal refunded = 0m) => new()
    {
        Amount = amount,
        RefundedAmount = refunded,
        Status = refunded == 0 ? PaymentStatus.Captured : refunded >= amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded,
    };

    [Fact]
    public void Refunds_add_up_to_the_capture_and_no_further()
    {
        var payment = Captured(100m);

        RefundRule.Record(payment, 60m);
        RefundRule.Record(payment, 40m);

        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.Equal(0m, RefundRule.Refundable(payment));
        Assert.Equal(RefundCheck.ExceedsRefundable, RefundRule.Check(payment, 0.01m));
        Assert.Throws<InvalidOperationException>(() => RefundRule.Record(payment, 0.01m));
        Assert.Equal(100m, payment.RefundedAmount);
    }

    [Fact]
    public void A_return_after_a_partial_refund_refunds_only_what_is_left()
    {
        var payment = Captured(169.60m, refunded: 150m);

        var amount = RefundRule.ForReturn(payment, returnValue: 49.90m);

        Assert.Equal(19.60m, amount);
        Assert.Equal(RefundCheck.Allowed, RefundRule.Check(payment, amount));
        Assert.Equal(RefundCheck.ExceedsRefundable, RefundRule.Check(payment, 49.90m));
    }

    [Fact]
    public void A_return_worth_less_than_what_is_left_refunds_its_value()
    {
        Assert.Equal(49.90m, RefundRule.ForReturn(Captured(169.60m, refunded: 10m), returnValue: 49.90m));
    }

    [Theory]
    [InlineData(PaymentStatus.Pending)]
    [InlineData(PaymentStatus.Authorized)]
    [InlineData(PaymentStatus.Failed)]
    [InlineData(PaymentStatus.Cancelled)]
    [InlineData(PaymentStatus.Expired)]
    public void Nothing_is_refundable_before_a_capture(PaymentStatus status)
    {
        var payment = new PaymentRecord { Amount = 50m, Status = status };

        Assert.Equal(0m, RefundRule.Refundable(payment));
        Assert.Equal(RefundCheck.NotCaptured, RefundRule.Check(payment, 10m));
    }

    [Theory]
    [InlineData(0, RefundCheck.NotPositive)]
    [InlineData(-5, RefundCheck.NotPositive)]
    [InlineData(0.001, RefundCheck.NotInCents)]
    [InlineData(100.01, RefundCheck.ExceedsRefundable)]
    [InlineData(100, RefundCheck.Allowed)]
    public void The_amount_is_checked(decimal amount, RefundCheck expected)
    {
        Assert.Equal(expected, RefundRule.Check(Captured(100m), amount));
    }

    [Fact]
    public void Staff_cannot_approve_a_refund_of_their_own_order_but_a_customer_may_cancel_theirs()
    {
        Assert.True(RefundRule.IsSelfApproval(orderUserId: 7, byUserId: 7, byCustomer: false));
        Assert.False(RefundRule.IsSelfApproval(orderUserId: 7, byUserId: 8, byCustomer: false));
        Assert.False(RefundRule.IsSelfApproval(orderUserId: 7, byUserId: 7, byCustomer: true));
        Assert.False(RefundRule.IsSelfApproval(orderUserId: 7, byUserId: null, byCustomer: false));
    }
}
