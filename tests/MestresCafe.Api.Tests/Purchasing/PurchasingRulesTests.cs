using MestresCafe.Api.Purchasing;
using MestresCafe.Purchasing;
using MestresCafe.TaxIds;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>The purchasing rules as plain functions: CNPJ check digits, the order's life, receipts and reordering.</summary>
public sealed class PurchasingRulesTests
{
    [Theory]
    [InlineData("11.222.333/0001-81")]
    [InlineData("11222333000181")]
    [InlineData(" 04.252.011/0001-10 ")]
    [InlineData("12.ABC.345/01DE-35")]
    [InlineData("12abc34501de35")]
    public void Valid_cnpjs_pass_with_or_without_punctuation_and_alphanumeric(string cnpj) => Assert.Null(Cnpj.Check(cnpj));

    [Theory]
    [InlineData("11.222.333/0001-82", "The check digits do not match.")]
    [InlineData("12ABC34501DE36", "The check digits do not match.")]
    [InlineData("11111111111111", "Not a CNPJ.")]
    [InlineData("1122233300018", "A CNPJ has 14 characters: 12 digits or letters and 2 check digits.")]
    [InlineData("12ABC34501DEA5", "A CNPJ has 14 characters: 12 digits or letters and 2 check digits.")]
    public void Invalid_cnpjs_say_why(string cnpj, string problem) => Assert.Equal(problem, Cnpj.Check(cnpj));

    [Fact]
    public void A_cnpj_is_stored_without_punctuation_and_upper_case() => Assert.Equal("12ABC34501DE35", Cnpj.Normalize(" 12.abc.345/01de-35"));

    [Theory]
    [InlineData("draft", "sent", true)]
    [InlineData("draft", "cancelled", true)]
    [InlineData("sent", "cancelled", true)]
    [InlineData("partially_received", "cancelled", true)]
    [InlineData("sent", "sent", false)]
    [InlineData("sent", "draft", false)]
    [InlineData("received", "cancelled", false)]
    [InlineData("cancelled", "sent", false)]
    [InlineData("draft", "received", false)]
    public void Only_the_orders_life_moves_are_allowed(string from, string to, bool allowed) => Assert.Equal(allowed, PurchaseOrderRules.CanMove(from, to));

    [Fact]
    public void Goods_are_received_only_once_sent_and_lines_change_only_in_a_draft()
    {
        Assert.Equal([false, true, true, false, false], PurchaseOrderStatus.All.Select(PurchaseOrderRules.CanReceive));
        Assert.Equal([true, false, false, false, false], PurchaseOrderStatus.All.Select(PurchaseOrderRules.CanEditLines));
    }

    [Fact]
    public void A_receipt_beyond_the_ordered_quantity_is_refused_unless_allowed()
    {
        Assert.Null(PurchaseOrderRules.CheckReceipt(ordered: 10, received: 4, receiving: 6, allowOverReceipt: false));
        Assert.Equal("Only 6 of 10 units are still expected; set allowOverReceipt to receive more.",
            PurchaseOrderRules.CheckReceipt(ordered: 10, received: 4, receiving: 7, allowOverReceipt: false));
        Assert.Null(PurchaseOrderRules.CheckReceipt(ordered: 10, received: 10, receiving: 3, allowOverReceipt: true));
        Assert.NotNull(PurchaseOrderRules.CheckReceipt(ordered: 10, received: 0, receiving: 0, allowOverReceipt: true));
    }

    [Fact]
    public void The_order_is_received_when_every_line_has_all_it_ordered()
    {
        Assert.Equal(PurchaseOrderStatus.PartiallyReceived, PurchaseOrderRules.AfterReceipt([(10, 10), (5, 4)]));
        Assert.Equal(PurchaseOrderStatus.Received, PurchaseOrderRules.AfterReceipt([(10, 12), (5, 5)]));
    }

    [Fact]
    public void A_receipt_lines_operation_id_is_the_same_on_every_retry_and_differs_per_line()
    {
        Assert.Equal(PurchaseOrderRules.ReceiptOperationId(7, 3), PurchaseOrderRules.ReceiptOperationId(7, 3));
        Assert.NotEqual(PurchaseOrderRules.ReceiptOperationId(7, 3), PurchaseOrderRules.ReceiptOperationId(7, 4));
        Assert.NotEqual(PurchaseOrderRules.ReceiptOperationId(7, 3), PurchaseOrderRules.ReceiptOperationId(8, 3));
    }

    [Fact]
    public void An_item_without_sales_is_reordered_at_its_reorder_point_by_its_reorder_quantity()
    {
        var advice = ReorderRule.Advise(new ReorderFigures(Available: 5, OnOrder: 0, ReorderPoint: 5, ReorderQuantity: 20, 0, 0, LeadTimeDays: 10, MinimumOrderQuantity: 1));

        Assert.Equal((0m, (decimal?)null, 20), (advice.DailySales, advice.DaysOfCover, advice.SuggestedQuantity));
    }

    [Fact]
    public void Sales_during_the_lead_time_bring_the_reorder_forward_and_size_the_order()
    {
        // 60 sold in 30 days = 2 a day (the 90-day rate, 1 a day, is lower); 10 days of lead time sell 20.
        var advice = ReorderRule.Advise(new ReorderFigures(Available: 24, OnOrder: 0, ReorderPoint: 5, ReorderQuantity: 10, Sold30Days: 60, Sold90Days: 90, LeadTimeDays: 10, MinimumOrderQuantity: 1));

        Assert.Equal((2m, 12m), (advice.DailySales, advice.DaysOfCover!.Value));
        // Target: 5 + 2 x (10 + 30) = 85, less the 24 on hand.
        Assert.Equal(61, advice.SuggestedQuantity);
    }

    [Fact]
    public void What_is_on_order_counts_and_the_suppliers_minimum_is_respected()
    {
        Assert.False(ReorderRule.Advise(new ReorderFigures(2, OnOrder: 30, 5, 10, 0, 0, 10, 1)).ShouldReorder);
        Assert.Equal(50, ReorderRule.Advise(new ReorderFigures(0, 0, 5, 10, 0, 0, 10, MinimumOrderQuantity: 50)).SuggestedQuantity);
        Assert.False(ReorderRule.Advise(new ReorderFigures(0, 0, ReorderPoint: 0, 0, 0, 0, 10, 1)).ShouldReorder);
    }
}
