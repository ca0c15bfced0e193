using MestresCafe.Coupons;
using MestresCafe.Grains.Coupons;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Coupons;

public sealed class CouponRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const long Coffee = 10;
    private const long Microlots = 11;
    private const long Courses = 20;
    private const long Equipment = 30;

    private readonly FakeTimeProvider _clock = new(Now);

    [Fact]
    public void A_percentage_coupon_takes_its_share_of_the_eligible_amount_rounded_half_away_from_zero()
    {
        // 15% of 33.30 = 4.995: rounds to 4.99 with banker's rounding, 5.00 away from zero.
        var result = CouponRules.Evaluate(Percentage(15), Order(Line(1, 33.30m, Coffee)), Now);

        Assert.Equal((CouponHoldOutcome.Held, 5.00m, false), (result.Outcome, result.Discount, result.FreeShipping));
    }

    [Fact]
    public void A_hundred_percent_coupon_never_exceeds_the_eligible_amount()
    {
        var result = CouponRules.Evaluate(Percentage(100), Order(Line(1, 0.01m, Coffee), Line(2, 19.99m, Coffee)), Now);

        Assert.Equal(20.00m, result.Discount);
    }

    [Fact]
    public void A_fixed_amount_is_capped_at_the_eligible_amount()
    {
        var fixedAmount = Definition(CouponType.FixedAmount, 50m);

        Assert.Equal(50m, CouponRules.Evaluate(fixedAmount, Order(Line(1, 80m, Coffee)), Now).Discount);
        Assert.Equal(30m, CouponRules.Evaluate(fixedAmount, Order(Line(1, 30m, Coffee)), Now).Discount);
    }

    [Fact]
    public void Free_shipping_waives_the_shipping_and_discounts_nothing_else()
    {
        var result = CouponRules.Evaluate(Definition(CouponType.FreeShipping, 0), Order(Line(1, 100m, Coffee)) with { ShippingAmount = 27.90m }, Now);

        Assert.Equal((CouponHoldOutcome.Held, 0m, true, 27.90m), (result.Outcome, result.Discount, result.FreeShipping, result.ShippingDiscount));
    }

    [Fact]
    public void Free_shipping_with_a_cap_waives_at_most_the_cap()
    {
        var result = CouponRules.Evaluate(Definition(CouponType.FreeShipping, 20m), Order(Line(1, 100m, Coffee)) with { ShippingAmount = 27.90m }, Now);

        Assert.Equal((true, 20m), (result.FreeShipping, result.ShippingDiscount));
    }

    [Fact]
    public void A_category_coupon_discounts_only_the_lines_in_that_category_or_below_it()
    {
        var microlots = Percentage(10) with { Conditions = new CouponConditions([Microlots], [], false, []) };
        var order = Order(Line(1, 100m, Coffee, Microlots), Line(2, 300m, Equipment));

        Assert.Equal(10m, CouponRules.Evaluate(microlots, order, Now).Discount);
    }

    [Fact]
    public void A_product_coupon_discounts_only_that_product()
    {
        var oneProduct = Definition(CouponType.FixedAmount, 25m) with { Conditions = new CouponConditions([], [2], false, []) };
        var order = Order(Line(1, 100m, Coffee), Line(2, 15m, Equipment));

        Assert.Equal(15m, CouponRules.Evaluate(oneProduct, order, Now).Discount);
    }

    [Fact]
    public void Excluded_categories_are_never_eligible()
    {
        var allButCourses = Percentage(30) with { Conditions = CouponConditions.None with { ExcludedCategoryIds = [Courses] } };
        var order = Order(Line(1, 100m, Coffee), Line(2, 200m, Courses));

        Assert.Equal(30m, CouponRules.Evaluate(allButCourses, order, Now).Discount);
        Assert.Equal(CouponHoldOutcome.NotApplicable, CouponRules.Evaluate(allButCourses, Order(Line(2, 200m, Courses)), Now).Outcome);
    }

    [Fact]
    public void An_order_without_eligible_lines_is_not_applicable()
    {
        var courses = Percentage(20) with { Conditions = new CouponConditions([Courses], [], false, []) };

        Assert.Equal(CouponHoldOutcome.NotApplicable, CouponRules.Evaluate(courses, Order(Line(1, 100m, Coffee)), Now).Outcome);
    }

    [Fact]
    public void The_minimum_amount_counts_eligible_lines_only()
    {
        var microlots = Percentage(10) with { MinimumAmount = 100m, Conditions = new CouponConditions([Microlots], [], false, []) };

        Assert.Equal(CouponHoldOutcome.BelowMinimum, CouponRules.Evaluate(microlots, Order(Line(1, 99.99m, Microlots), Line(2, 500m, Equipment)), Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(microlots, Order(Line(1, 100m, Microlots)), Now).Outcome);
    }

    [Fact]
    public void The_validity_window_and_the_active_flag_are_checked()
    {
        var window = Percentage(10) with { StartsAt = Now.AddDays(-1), ExpiresAt = Now.AddDays(1) };
        var order = Order(Line(1, 100m, Coffee));

        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(window, order, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.NotStarted, CouponRules.Evaluate(window, order, Now.AddDays(-2)).Outcome);
        Assert.Equal(CouponHoldOutcome.Expired, CouponRules.Evaluate(window, order, Now.AddDays(1)).Outcome);
        Assert.Equal(CouponHoldOutcome.Inactive, CouponRules.Evaluate(window with { IsActive = false }, order, Now).Outcome);
    }

    [Fact]
    public void A_first_order_coupon_refuses_returning_customers()
    {
        var firstOrder = Percentage(10) with { Conditions = new CouponConditions([], [], true, []) };

        Assert.Equal(CouponHoldOutcome.FirstOrderOnly, CouponRules.Evaluate(firstOrder, Order(Line(1, 100m, Coffee)) with { IsFirstOrder = false }, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(firstOrder, Order(Line(1, 100m, Coffee)) with { IsFirstOrder = true, IsEmailVerified = true }, Now).Outcome);
    }

    [Fact]
    public void A_first_order_coupon_needs_a_verified_email_and_other_coupons_do_not()
    {
        var firstOrder = Percentage(10) with { Conditions = new CouponConditions([], [], true, []) };
        var unverifiedFirstOrder = Order(Line(1, 100m, Coffee)) with { IsFirstOrder = true, IsEmailVerified = false };

        Assert.Equal(CouponHoldOutcome.EmailNotVerified, CouponRules.Evaluate(firstOrder, unverifiedFirstOrder, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(Percentage(10), unverifiedFirstOrder, Now).Outcome);
    }

    [Fact]
    public void A_customer_group_coupon_needs_a_member_of_the_group()
    {
        var wholesale = Percentage(10) with { Conditions = new CouponConditions([], [], false, [7]) };

        Assert.Equal(CouponHoldOutcome.NotApplicable, CouponRules.Evaluate(wholesale, Order(Line(1, 100m, Coffee)) with { CustomerGroupIds = [3] }, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(wholesale, Order(Line(1, 100m, Coffee)) with { CustomerGroupIds = [3, 7] }, Now).Outcome);
    }

    [Fact]
    public void Shipping_conditions_need_the_method_and_state_to_be_known_and_allowed()
    {
        var southeast = Definition(CouponType.FreeShipping, 0) with
        {
            Conditions = CouponConditions.None with { ShippingMethods = ["pac"], ShippingStates = ["SP", "MG"] },
        };
        var order = Order(Line(1, 100m, Coffee)) with { ShippingAmount = 20m };

        Assert.Equal(CouponHoldOutcome.NotApplicable, CouponRules.Evaluate(southeast, order, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.NotApplicable, CouponRules.Evaluate(southeast, order with { ShippingMethod = "pac", ShippingState = "AM" }, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(southeast, order with { ShippingMethod = "PAC", ShippingState = "sp" }, Now).Outcome);
    }

    [Fact]
    public void An_undefined_coupon_is_not_found()
    {
        var rules = new CouponRules(new CouponState(), _clock);

        Assert.Equal(CouponHoldOutcome.NotFound, rules.Hold(Order(Line(1, 100m, Coffee))).Outcome);
    }

    [Fact]
    public void Held_and_confirmed_uses_both_count_against_the_usage_limit()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 2 });

        Assert.True(rules.Hold(Order("A", user: 1)).Succeeded);
        Assert.Equal(ConfirmOutcome.Confirmed, rules.Confirm("A"));
        Assert.True(rules.Hold(Order("B", user: 2)).Succeeded);

        Assert.Equal(CouponHoldOutcome.UsageLimitReached, rules.Hold(Order("C", user: 3)).Outcome);
        Assert.Equal((1, 1), (rules.State.UsedCount, rules.State.Holds.Count));
    }

    [Fact]
    public void A_first_order_coupon_held_or_used_by_a_customer_refuses_their_other_orders_until_released()
    {
        // No per-customer limit: "first order" alone must keep it to one use per customer.
        var rules = Defined(Percentage(10) with { Conditions = new CouponConditions([], [], true, []) });
        CouponHoldRequest FirstOrder(string number, long user) => Order(number, user) with { IsFirstOrder = true, IsEmailVerified = true };

        Assert.True(rules.Hold(FirstOrder("A", user: 1)).Succeeded);
        Assert.Equal(CouponHoldOutcome.FirstOrderOnly, rules.Hold(FirstOrder("B", user: 1)).Outcome);
        Assert.True(rules.Hold(FirstOrder("C", user: 2)).Succeeded);
        Assert.True(rules.Hold(FirstOrder("A", user: 1)).Succeeded);

        Assert.True(rules.Release("A"));
        Assert.True(rules.Hold(FirstOrder("B", user: 1)).Succeeded);
        Assert.Equal(ConfirmOutcome.Confirmed, rules.Confirm("B"));
        Assert.Equal(CouponHoldOutcome.FirstOrderOnly, rules.Hold(FirstOrder("D", user: 1)).Outcome);
    }

    [Fact]
    public void Only_coupons_with_customer_conditions_ask_for_the_customer_facts()
    {
        var plain = Defined(Percentage(10));
        var firstOrder = Defined(Percentage(10) with { Conditions = new CouponConditions([], [], true, []) });
        var wholesale = Defined(Percentage(10) with { Conditions = new CouponConditions([], [], false, [3]) });

        Assert.False(plain.NeedsCustomerFacts("A"));
        Assert.True(firstOrder.NeedsCustomerFacts("A"));
        Assert.True(wholesale.NeedsCustomerFacts("A"));
        Assert.True(firstOrder.Hold(Order("A", user: 1) with { IsFirstOrder = true, IsEmailVerified = true }).Succeeded);
        Assert.False(firstOrder.NeedsCustomerFacts("A"));
    }

    [Fact]
    public void Held_and_confirmed_uses_both_count_against_the_per_customer_limit()
    {
        var rules = Defined(Percentage(10) with { PerCustomerLimit = 2 });

        Assert.True(rules.Hold(Order("A", user: 1)).Succeeded);
        rules.Confirm("A");
        Assert.True(rules.Hold(Order("B", user: 1)).Succeeded);

        Assert.Equal(CouponHoldOutcome.CustomerLimitReached, rules.Hold(Order("C", user: 1)).Outcome);
        Assert.True(rules.Hold(Order("D", user: 2)).Succeeded);
    }

    [Fact]
    public void A_released_hold_frees_its_use_for_the_same_customer_and_for_others()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 1, PerCustomerLimit = 1 });
        rules.Hold(Order("A", user: 1));

        Assert.True(rules.Release("A"));
        Assert.True(rules.Hold(Order("B", user: 1)).Succeeded);
        Assert.True(rules.Release("B"));
        Assert.True(rules.Hold(Order("C", user: 2)).Succeeded);
        Assert.Equal(ConfirmOutcome.NotHeld, rules.Confirm("A"));
    }

    [Fact]
    public void Holding_and_confirming_again_for_the_same_order_changes_nothing()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 5 });
        var first = rules.Hold(Order("A", user: 1));
        var version = rules.State.Version;

        Assert.Equal(first, rules.Hold(Order("A", user: 1)));
        Assert.Equal(version, rules.State.Version);
        Assert.Equal(ConfirmOutcome.Confirmed, rules.Confirm("A"));
        Assert.Equal(ConfirmOutcome.AlreadyConfirmed, rules.Confirm("A"));
        Assert.Equal(first, rules.Hold(Order("A", user: 1)));
        Assert.Equal(1, rules.State.UsedCount);
        Assert.Single(rules.State.Outbox, e => e.Type == CouponEventType.Confirmed);
    }

    [Fact]
    public void An_expired_hold_gives_its_use_back()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 1 });
        rules.Hold(Order("A", user: 1, expiresIn: TimeSpan.FromMinutes(15)));
        Assert.Equal(CouponHoldOutcome.UsageLimitReached, rules.Hold(Order("B", user: 2)).Outcome);

        Assert.False(rules.ExpireDue());
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True(rules.ExpireDue());

        Assert.Empty(rules.State.Holds);
        Assert.True(rules.Hold(Order("B", user: 2)).Succeeded);
    }

    [Fact]
    public void A_payment_captured_after_the_hold_expired_confirms_only_if_the_limits_still_allow_it()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 1 });
        rules.Hold(Order("A", user: 1, expiresIn: TimeSpan.FromMinutes(1)));
        _clock.Advance(TimeSpan.FromMinutes(2));
        rules.ExpireDue();
        rules.Hold(Order("B", user: 2));

        Assert.Equal(ConfirmOutcome.LimitReached, rules.Confirm("A"));
        rules.Release("B");
        Assert.Equal(ConfirmOutcome.Confirmed, rules.Confirm("A"));
        Assert.Equal(1, rules.State.UsedCount);
    }

    [Fact]
    public void A_usage_limit_below_the_uses_taken_is_refused()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 5 });
        rules.Hold(Order("A", user: 1));
        rules.Hold(Order("B", user: 2));
        rules.Confirm("A");

        var error = Assert.Throws<CouponDefinitionException>(() => rules.Define(Percentage(10) with { UsageLimit = 1 }));
        Assert.Equal("usageLimit", error.Field);
        rules.Define(Percentage(10) with { UsageLimit = 2 });
        Assert.Equal(2, rules.State.Definition!.UsageLimit);
    }

    [Theory]
    [InlineData(CouponType.Percentage, 0, "value")]
    [InlineData(CouponType.Percentage, 100.5, "value")]
    [InlineData(CouponType.FixedAmount, -1, "value")]
    [InlineData(CouponType.FixedAmount, 10.001, "value")]
    public void Definitions_the_coupons_table_would_refuse_are_refused(CouponType type, double value, string field)
    {
        var rules = new CouponRules(new CouponState(), _clock);

        var error = Assert.Throws<CouponDefinitionException>(() => rules.Define(Definition(type, (decimal)value)));
        Assert.Equal(field, error.Field);
        Assert.Null(rules.State.Definition);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused()
    {
        var errors = CouponValidation.Validate(Percentage(10) with { StartsAt = Now, ExpiresAt = Now.AddDays(-1) });

        Assert.Contains("expiresAt", errors.Keys);
    }

    [Fact]
    public void Every_change_bumps_the_version_and_definitions_and_confirmations_reach_the_outbox()
    {
        var rules = Defined(Percentage(10));
        var versions = new List<long> { rules.State.Version };
        rules.Hold(Order("A", user: 1));
        versions.Add(rules.State.Version);
        rules.Confirm("A");
        versions.Add(rules.State.Version);
        rules.Hold(Order("B", user: 2));
        versions.Add(rules.State.Version);
        rules.Release("B");
        versions.Add(rules.State.Version);

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal([CouponEventType.Defined, CouponEventType.Confirmed], rules.State.Outbox.Select(e => e.Type));
    }

    [Fact]
    public void Bootstrapping_from_the_relational_row_counts_its_recorded_uses_per_customer()
    {
        var rules = new CouponRules(new CouponState(), _clock);
        rules.Bootstrap(new CouponRow(1, Percentage(10) with { PerCustomerLimit = 1, UsageLimit = 3 }, 2, 7,
            [new CouponRowUse("OLD-1", 1, 5m, Now.AddDays(-3))]));

        Assert.Equal((2, 7L), (rules.State.UsedCount, rules.State.Version));
        Assert.Equal(CouponHoldOutcome.CustomerLimitReached, rules.Hold(Order("NEW-1", user: 1)).Outcome);
        Assert.True(rules.Hold(Order("NEW-2", user: 2)).Succeeded);
        Assert.Equal(CouponHoldOutcome.UsageLimitReached, rules.Hold(Order("NEW-3", user: 3)).Outcome);
        Assert.Empty(rules.State.Outbox);
    }

    private CouponRules Defined(CouponDefinition definition)
    {
        var rules = new CouponRules(new CouponState(), _clock);
        rules.Define(definition);
        return rules;
    }

    [Fact]
    public void A_coupon_for_named_customers_is_refused_to_anyone_else()
    {
        var mine = Percentage(10) with { Conditions = CouponConditions.None with { UserIds = [7] } };

        Assert.Equal(CouponHoldOutcome.OtherCustomer, CouponRules.Evaluate(mine, Order(Line(1, 50m, Coffee)) with { UserId = 8 }, Now).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, CouponRules.Evaluate(mine, Order(Line(1, 50m, Coffee)) with { UserId = 7 }, Now).Outcome);
        Assert.Equal([7L], CouponConditionsJson.Read(CouponConditionsJson.Write(mine.Conditions)).Conditions.UserIds);
    }

    [Fact]
    public void Redefining_a_personal_coupon_keeps_its_customer_and_refuses_another()
    {
        var rules = Defined(Percentage(10) with { UsageLimit = 1, Conditions = CouponConditions.None with { UserIds = [7] } });

        // The back office edits the value and sends no customers: the coupon stays the customer's.
        rules.Define(Percentage(50));
        Assert.Equal([7L], rules.State.Definition!.Conditions.UserIds);
        Assert.Equal(CouponHoldOutcome.OtherCustomer, rules.Hold(Order("X-1", user: 8)).Outcome);

        var other = Assert.Throws<CouponDefinitionException>(() => rules.Define(Percentage(50) with { Conditions = CouponConditions.None with { UserIds = [8] } }));
        var both = Assert.Throws<CouponDefinitionException>(() => rules.Define(Percentage(50) with { Conditions = CouponConditions.None with { UserIds = [7, 8] } }));
        Assert.Equal(("conditions.userIds", "conditions.userIds"), (other.Field, both.Field));
        Assert.Equal([7L], rules.State.Definition!.Conditions.UserIds);
        Assert.True(rules.Hold(Order("X-2", user: 7)).Succeeded);

        var open = Defined(Percentage(10));
        Assert.Throws<CouponDefinitionException>(() => open.Define(Percentage(10) with { Conditions = CouponConditions.None with { UserIds = [8] } }));
    }

    private static CouponDefinition Percentage(decimal value) => Definition(CouponType.Percentage, value);

    private static CouponDefinition Definition(CouponType type, decimal value) =>
        new(type, value, 0, null, null, null, null, true, CouponConditions.None, null);

    private static CouponLine Line(long productId, decimal total, params long[] categories) => new(productId, categories, total);

    private static CouponHoldRequest Order(params CouponLine[] lines) =>
        new("ORDER-1", 1, lines, 0, false, [], Now.AddMinutes(15));

    private CouponHoldRequest Order(string orderNumber, long user, TimeSpan? expiresIn = null) =>
        new(orderNumber, user, [Line(1, 100m, Coffee)], 0, false, [], _clock.GetUtcNow() + (expiresIn ?? TimeSpan.FromMinutes(15)));
}
