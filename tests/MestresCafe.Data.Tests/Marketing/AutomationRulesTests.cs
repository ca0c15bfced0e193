using System.Text.Json;
using MestresCafe.Coupons;
using MestresCafe.Marketing;

namespace MestresCafe.Data.Tests.Marketing;

/// <summary>An automation's definition, which occurrences trigger it, and the course of an execution: plain rules, no database.</summary>
public sealed class AutomationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ActiveSince = Now.AddDays(-30);

    private static (AutomationDefinition? Definition, IReadOnlyDictionary<string, string[]> Errors) Parse(string trigger, string conditions, string actions) =>
        AutomationDefinitionParser.Parse(trigger, JsonSerializer.Deserialize<JsonElement>(conditions), JsonSerializer.Deserialize<JsonElement>(actions));

    private static AutomationDefinition Cart(bool stopOnOrder = true) =>
        Parse("cart_abandoned", $$"""{"idle_hours": 3, "min_cart_value": 50, "stop_on_order": {{(stopOnOrder ? "true" : "false")}}}""",
            """[{"action": "wait", "hours": 1}, {"action": "send_email", "template": "abandoned_cart"}]""").Definition!;

    [Fact]
    public void A_full_sequence_is_read_step_by_step()
    {
        var (definition, errors) = Parse("customer_signup", """{"conversion_days": 14}""", """
            [{"action": "wait", "days": 1}, {"action": "issue_coupon", "type": "percentage", "value": 10, "valid_days": 7, "minimum_amount": 80},
             {"action": "send_email", "template": "welcome_offer"}, {"action": "add_to_group", "group_id": 3},
             {"action": "notify_staff", "message": "Novo cliente recebeu o cupom"}]
            """);

        Assert.Empty(errors);
        Assert.Equal(AutomationTrigger.CustomerSignup, definition!.Trigger);
        Assert.Equal(14, definition.Conditions.ConversionDays);
        Assert.True(definition.Conditions.StopOnOrder);
        Assert.Equal<AutomationStep>(
            [new WaitStep(TimeSpan.FromDays(1)), new IssueCouponStep(CouponType.Percentage, 10, 7, 80), new SendEmailStep("welcome_offer"),
             new AddToGroupStep(3), new NotifyStaffStep("Novo cliente recebeu o cupom")],
            definition.Steps);
        Assert.Equal(["welcome_offer"], definition.Templates);
    }

    [Fact]
    public void Each_wrong_part_is_named_by_its_path()
    {
        var (definition, errors) = Parse("cart_abandoned", """{"days": 3, "min_cart_value": -1}""", """
            [{"action": "wait", "hours": 1, "days": 2}, {"action": "send_sms"}, {"action": "issue_coupon", "type": "percentage", "value": 120, "valid_days": 7},
             {"action": "send_email", "template": "x", "subject": "y"}, {"action": "wait", "minutes": 5}]
            """);

        Assert.Null(definition);
        Assert.Equal(
            ["actionSequence[0]", "actionSequence[1].action", "actionSequence[2].value", "actionSequence[3].subject",
             "triggerConditions.days", "triggerConditions.idle_hours", "triggerConditions.min_cart_value"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_sequence_is_not_empty_does_not_end_waiting_and_the_trigger_must_be_known()
    {
        Assert.Equal(["actionSequence"], Parse("birthday", "{}", "[]").Errors.Keys);
        Assert.Equal(["actionSequence[1]"], Parse("birthday", "{}", """[{"action": "send_email", "template": "a"}, {"action": "wait", "days": 1}]""").Errors.Keys);
        Assert.Equal(["triggerType"], Parse("segment_entered", "{}", """[{"action": "send_email", "template": "a"}]""").Errors.Keys);
        Assert.Equal(["triggerConditions.days"], Parse("inactivity", "{}", """[{"action": "send_email", "template": "a"}]""").Errors.Keys);
    }

    [Fact]
    public void A_cart_counts_as_abandoned_once_idle_long_enough_with_items_worth_the_minimum()
    {
        var conditions = Cart().Conditions;
        var changed = Now.AddHours(-3);

        var occurrence = AutomationTriggerRules.CartAbandoned(conditions, 7, changed, items: 2, value: 80m, ActiveSince, Now);
        Assert.Equal(new TriggerOccurrence(7, $"cart:{changed.ToUnixTimeMilliseconds()}", changed), occurrence);
        Assert.Null(AutomationTriggerRules.CartAbandoned(conditions, 7, Now.AddHours(-2.9), 2, 80m, ActiveSince, Now));
        Assert.Null(AutomationTriggerRules.CartAbandoned(conditions, 7, changed, 0, 80m, ActiveSince, Now));
        Assert.Null(AutomationTriggerRules.CartAbandoned(conditions, 7, changed, 2, 49.99m, ActiveSince, Now));
        // Abandoned before the automation was switched on, or so long ago it is history.
        Assert.Null(AutomationTriggerRules.CartAbandoned(conditions, 7, Now.AddHours(-4), 2, 80m, Now.AddMinutes(-30), Now));
        Assert.Null(AutomationTriggerRules.CartAbandoned(conditions, 7, Now.AddDays(-8), 2, 80m, ActiveSince, Now));
        // Changed again and left again: a new occurrence.
        Assert.NotEqual(occurrence!.Key, AutomationTriggerRules.CartAbandoned(conditions, 7, changed.AddMinutes(-5), 2, 80m, ActiveSince, Now)!.Key);
    }

    [Fact]
    public void Other_triggers_fire_once_per_occurrence_within_the_lookback()
    {
        var days = new TriggerConditions { Days = 5 };
        Assert.Equal("delivered:MC-1", AutomationTriggerRules.OrderDelivered(days, 1, "MC-1", Now.AddDays(-5), ActiveSince, Now)!.Key);
        Assert.Null(AutomationTriggerRules.OrderDelivered(days, 1, "MC-1", Now.AddDays(-4), ActiveSince, Now));
        Assert.Equal("inactive_since:MC-9", AutomationTriggerRules.Inactive(days, 1, "MC-9", Now.AddDays(-6), ActiveSince, Now)!.Key);
        Assert.Equal("signup", AutomationTriggerRules.SignedUp(1, Now.AddHours(-1), ActiveSince, Now)!.Key);
        Assert.Null(AutomationTriggerRules.SignedUp(1, ActiveSince.AddHours(-1), ActiveSince, Now));
        Assert.Equal("first_order:MC-2", AutomationTriggerRules.FirstOrderPaid(1, "MC-2", Now, ActiveSince, Now)!.Key);
        Assert.Equal("tier:ouro", AutomationTriggerRules.TierReached(new TriggerConditions { Tier = "Ouro" }, 1, "Ouro", Now, ActiveSince, Now)!.Key);
        Assert.Null(AutomationTriggerRules.TierReached(new TriggerConditions { Tier = "Ouro" }, 1, "Prata", Now, ActiveSince, Now));
        Assert.NotNull(AutomationTriggerRules.TierReached(new TriggerConditions(), 1, "Prata", Now, ActiveSince, Now));
        var request = Guid.NewGuid();
        Assert.Equal($"back_in_stock:{request:N}", AutomationTriggerRules.BackInStock(1, request, Now, ActiveSince, Now)!.Key);
    }

    [Fact]
    public void A_birthday_is_once_a_year_and_29_february_falls_on_the_28th_in_other_years()
    {
        Assert.Equal("birthday:2026", AutomationTriggerRules.Birthday(new TriggerConditions(), 1, new DateOnly(1990, 12, 2), new DateOnly(2026, 12, 2), Now)!.Key);
        Assert.Null(AutomationTriggerRules.Birthday(new TriggerConditions(), 1, new DateOnly(1990, 12, 3), new DateOnly(2026, 12, 2), Now));
        Assert.NotNull(AutomationTriggerRules.Birthday(new TriggerConditions(), 1, new DateOnly(2000, 2, 29), new DateOnly(2026, 2, 28), Now));
        Assert.Null(AutomationTriggerRules.Birthday(new TriggerConditions(), 1, new DateOnly(2000, 2, 29), new DateOnly(2028, 2, 28), Now));
    }

    [Fact]
    public void A_birthday_days_before_fires_that_many_days_ahead_keyed_by_the_birthday_s_year()
    {
        var threeAhead = new TriggerConditions { DaysBefore = 3 };
        Assert.Equal("birthday:2026", AutomationTriggerRules.Birthday(threeAhead, 1, new DateOnly(1990, 12, 5), new DateOnly(2026, 12, 2), Now)!.Key);
        Assert.Null(AutomationTriggerRules.Birthday(threeAhead, 1, new DateOnly(1990, 12, 2), new DateOnly(2026, 12, 2), Now));
        Assert.Equal("birthday:2027", AutomationTriggerRules.Birthday(threeAhead, 1, new DateOnly(1990, 1, 1), new DateOnly(2026, 12, 29), Now)!.Key);
        Assert.Equal(["triggerConditions.days_before"], Parse("birthday", """{"days_before": 31}""", """[{"action": "send_email", "template": "a"}]""").Errors.Keys);
        Assert.Equal(["triggerConditions.days_before"], Parse("cart_abandoned", """{"idle_hours": 1, "days_before": 1}""", """[{"action": "send_email", "template": "a"}]""").Errors.Keys);
    }

    [Fact]
    public void Steps_run_in_order_until_the_last_and_a_wait_sets_the_next_due_time()
    {
        var definition = Cart();
        var facts = new ExecutionFacts(MarketingConsent: true, OrderedSinceTrigger: false, CartItems: 2);

        var first = Assert.IsType<AutomationDecision.Run>(AutomationWorkflow.Next(definition, 0, facts));
        Assert.Equal(Now.AddHours(1), AutomationWorkflow.NextDueAt(first.Step, Now));
        var second = Assert.IsType<AutomationDecision.Run>(AutomationWorkflow.Next(definition, 1, facts));
        Assert.Equal(new SendEmailStep("abandoned_cart"), second.Step);
        Assert.Equal(Now, AutomationWorkflow.NextDueAt(second.Step, Now));
        Assert.IsType<AutomationDecision.Complete>(AutomationWorkflow.Next(definition, 2, facts));
    }

    [Fact]
    public void An_execution_stops_when_consent_is_withdrawn_the_customer_ordered_or_the_cart_was_emptied()
    {
        var definition = Cart();
        Assert.Equal(new AutomationDecision.Stop(ExecutionStopReason.ConsentWithdrawn), AutomationWorkflow.Next(definition, 1, new(false, false, 2)));
        Assert.Equal(new AutomationDecision.Stop(ExecutionStopReason.Ordered), AutomationWorkflow.Next(definition, 1, new(true, true, 0)));
        Assert.Equal(new AutomationDecision.Stop(ExecutionStopReason.TriggerEnded), AutomationWorkflow.Next(definition, 1, new(true, false, 0)));
        // An automation that does not stop on an order keeps going for a customer who ordered (and still has a cart).
        Assert.IsType<AutomationDecision.Run>(AutomationWorkflow.Next(Cart(stopOnOrder: false), 1, new(true, true, 1)));
    }

    [Fact]
    public void The_issued_coupon_is_single_use_for_this_customer_with_a_code_fixed_by_execution_and_step()
    {
        var coupon = AutomationWorkflow.Coupon(new IssueCouponStep(CouponType.Percentage, 10, 7, 0), userId: 42, "Boas-vindas", Now);

        Assert.Equal((1, 1), (coupon.UsageLimit, coupon.PerCustomerLimit));
        Assert.Equal([42L], coupon.Conditions.UserIds);
        Assert.Equal(Now.AddDays(7), coupon.ExpiresAt);
        Assert.Equal("MC-AU-15-3", AutomationWorkflow.CouponCode(15, 2));
        Assert.True(AutomationWorkflow.IsConversion(new TriggerConditions(), Now, Now.AddDays(7)));
        Assert.False(AutomationWorkflow.IsConversion(new TriggerConditions(), Now, Now.AddDays(7.1)));
    }
}
