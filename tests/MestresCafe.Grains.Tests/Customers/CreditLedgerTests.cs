using MestresCafe.Customers;
using MestresCafe.Grains.Customers;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Customers;

/// <summary>The B2B credit rules with no cluster: approval, the limit over open invoices, overdue invoices, idempotent reservations, releases.</summary>
public sealed class CreditLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly CreditAccountState _state = new();

    private CreditLedger Ledger => new(_state, _clock);

    private static CreditAccountTerms Approved(decimal limit = 1000m, string terms = "net_28") => new(9, 41, "business", true, limit, terms);

    [Fact]
    public void An_approved_account_reserves_within_its_limit_and_the_invoice_falls_due_after_its_terms()
    {
        var decision = Ledger.Reserve("MC-1", 600m, Approved());

        Assert.True(decision.Accepted);
        Assert.Equal(Start.AddDays(28), decision.DueAt);
        Assert.Equal((600m, 1000m), (decision.Exposure, decision.CreditLimit));
        Assert.Equal(600m, Ledger.Exposure);
        Assert.Single(_state.Outbox);
    }

    [Fact]
    public void An_order_beyond_what_is_left_of_the_limit_is_refused_and_changes_nothing()
    {
        Assert.True(Ledger.Reserve("MC-1", 600m, Approved()).Accepted);
        var version = _state.Version;

        var refused = Ledger.Reserve("MC-2", 400.01m, Approved());

        Assert.Equal(CreditRefusal.LimitExceeded, refused.Refusal);
        Assert.Contains("R$ 400.00", refused.Detail);
        Assert.Equal((600m, version), (Ledger.Exposure, _state.Version));
        Assert.True(Ledger.Reserve("MC-3", 400m, Approved()).Accepted);
        Assert.Equal(1000m, Ledger.Exposure);
    }

    [Fact]
    public void The_same_order_again_answers_its_first_reservation_and_counts_once()
    {
        var first = Ledger.Reserve("MC-1", 600m, Approved());
        _clock.Advance(TimeSpan.FromMinutes(3));

        var again = Ledger.Reserve("MC-1", 600m, Approved());

        Assert.True(again.Accepted);
        Assert.Equal(first.DueAt, again.DueAt);
        Assert.Equal(600m, Ledger.Exposure);
        Assert.Single(_state.Outbox);
    }

    [Theory]
    [InlineData("individual", true, 1000, "net_28")]
    [InlineData("business", false, 1000, "net_28")]
    [InlineData("business", true, 1000, "prepaid")]
    [InlineData("business", true, 0, "net_28")]
    public void Only_an_active_company_with_terms_in_days_and_a_limit_is_approved(string type, bool active, int limit, string terms)
    {
        var refused = Ledger.Reserve("MC-1", 10m, new CreditAccountTerms(9, 41, type, active, limit, terms));

        Assert.Equal(CreditRefusal.NotApproved, refused.Refusal);
        Assert.Equal(0m, Ledger.Exposure);
        Assert.Equal(CreditRefusal.NotApproved, Ledger.Reserve("MC-2", 10m, null).Refusal);
    }

    [Fact]
    public void An_overdue_invoice_refuses_new_orders_until_it_is_paid()
    {
        Assert.True(Ledger.Reserve("MC-1", 100m, Approved(terms: "net_15")).Accepted);
        _clock.Advance(TimeSpan.FromDays(15));

        var refused = Ledger.Reserve("MC-2", 100m, Approved());

        Assert.Equal(CreditRefusal.InvoiceOverdue, refused.Refusal);
        Assert.Contains("MC-1", refused.Detail);
        Assert.True(Ledger.Release("MC-1", CreditRelease.Paid));
        Assert.True(Ledger.Reserve("MC-2", 100m, Approved()).Accepted);
    }

    [Fact]
    public void A_release_frees_the_credit_once_and_a_lowered_limit_applies_to_the_next_order()
    {
        Assert.True(Ledger.Reserve("MC-1", 700m, Approved()).Accepted);
        Assert.True(Ledger.Release("MC-1", CreditRelease.Cancelled));
        Assert.False(Ledger.Release("MC-1", CreditRelease.Cancelled));
        Assert.False(Ledger.Release("MC-never", CreditRelease.Paid));
        Assert.Equal((0m, 2), (Ledger.Exposure, _state.Outbox.Count));

        Assert.True(Ledger.Reserve("MC-2", 300m, Approved()).Accepted);
        var lowered = Ledger.Reserve("MC-3", 100m, Approved(limit: 350m));

        Assert.Equal(CreditRefusal.LimitExceeded, lowered.Refusal);
        Assert.Equal(50m, Ledger.Snapshot(41, Approved(limit: 350m)).Available);
        Assert.Equal(0m, Ledger.Snapshot(41, Approved(limit: 200m)).Available);
    }

    [Theory]
    [InlineData("net_28", 28)]
    [InlineData("net_1", 1)]
    [InlineData("net_120", 120)]
    [InlineData("net_121", null)]
    [InlineData("net_028", null)]
    [InlineData("net_0", null)]
    [InlineData("net_", null)]
    [InlineData("prepaid", null)]
    [InlineData("net_+5", null)]
    public void Payment_terms_are_days_from_1_to_120_written_one_way(string terms, int? days)
    {
        Assert.Equal(days, CreditTerms.Days(terms));
        Assert.Equal(days is not null || terms == CreditTerms.Prepaid, CreditTerms.IsValid(terms));
    }
}
