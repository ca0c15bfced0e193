using MestresCafe.Coupons;

namespace MestresCafe.Marketing;

/// <summary>What holds for a running execution when its next step is due, read right before the step.</summary>
/// <param name="MarketingConsent">The customer's current e-mail marketing consent.</param>
/// <param name="OrderedSinceTrigger">An order (not cancelled) was placed since the trigger.</param>
/// <param name="CartItems">Lines in the customer's cart now (cart_abandoned only looks).</param>
public sealed record ExecutionFacts(bool MarketingConsent, bool OrderedSinceTrigger, int CartItems);

/// <summary>Why an execution stopped before its last step: automation_executions.execution_data.stop_reason.</summary>
public enum ExecutionStopReason
{
    /// <summary>The customer withdrew (or never gave) e-mail marketing consent.</summary>
    ConsentWithdrawn,

    /// <summary>The customer ordered: the goal was reached (the abandoned cart was bought).</summary>
    Ordered,

    /// <summary>The trigger's situation is over (the abandoned cart was emptied).</summary>
    TriggerEnded,
}

/// <summary>The engine's next move for an execution.</summary>
public abstract record AutomationDecision
{
    public sealed record Run(int StepIndex, AutomationStep Step) : AutomationDecision;

    public sealed record Stop(ExecutionStopReason Reason) : AutomationDecision;

    public sealed record Complete : AutomationDecision;
}

/// <summary>
/// The rules of an execution's course: which step comes next, when the one after is due, and when
/// it stops instead. Stop conditions are checked before every step, a wait's end included, so a
/// customer who bought or withdrew consent while the execution waited gets nothing more.
/// </summary>
public static class AutomationWorkflow
{
    public static AutomationDecision Next(AutomationDefinition definition, int nextStep, ExecutionFacts facts)
    {
        if (nextStep >= definition.Steps.Count)
        {
            return new AutomationDecision.Complete();
        }

        if (!facts.MarketingConsent)
        {
            return new AutomationDecision.Stop(ExecutionStopReason.ConsentWithdrawn);
        }

        if (definition.Conditions.StopOnOrder && facts.OrderedSinceTrigger)
        {
            return new AutomationDecision.Stop(ExecutionStopReason.Ordered);
        }

        if (definition.Trigger == AutomationTrigger.CartAbandoned && facts.CartItems == 0)
        {
            return new AutomationDecision.Stop(ExecutionStopReason.TriggerEnded);
        }

        return new AutomationDecision.Run(nextStep, definition.Steps[nextStep]);
    }

    /// <summary>When the step after <paramref name="done"/> is due: a wait's end, or at once.</summary>
    public static DateTimeOffset NextDueAt(AutomationStep done, DateTimeOffset now) => done is WaitStep wait ? now + wait.Duration : now;

    /// <summary>
    /// The code of the coupon a step issues: fixed by the execution and step, so issuing again after
    /// a crash redefines the same coupon instead of making a second one.
    /// </summary>
    public static string CouponCode(long executionId, int stepIndex) => $"MC-AU-{executionId}-{stepIndex + 1}";

    /// <summary>The single-use coupon only this customer (their user) may use, valid from now for the step's days.</summary>
    public static CouponDefinition Coupon(IssueCouponStep step, long userId, string automationName, DateTimeOffset now) =>
        new(step.Type, step.Value, step.MinimumAmount, UsageLimit: 1, PerCustomerLimit: 1, StartsAt: null,
            ExpiresAt: now + TimeSpan.FromDays(step.ValidDays), IsActive: true,
            CouponConditions.None with { UserIds = [userId] }, $"Automação {automationName} (usuário {userId})");

    /// <summary>Whether an order at <paramref name="orderedAt"/> is the conversion of an execution triggered at <paramref name="triggeredAt"/>.</summary>
    public static bool IsConversion(TriggerConditions conditions, DateTimeOffset triggeredAt, DateTimeOffset orderedAt) =>
        orderedAt >= triggeredAt && orderedAt - triggeredAt <= TimeSpan.FromDays(conditions.ConversionDays);
}
