using MestresCafe.Coupons;

namespace MestresCafe.Marketing;

/// <summary>
/// What starts an automation for a customer, spelled in snake_case as marketing_automations.trigger_type
/// (its CHECK also lists course_completed and segment_entered, which no engine raises yet).
/// </summary>
public enum AutomationTrigger
{
    /// <summary>An account was created.</summary>
    CustomerSignup,

    /// <summary>The customer's first order was paid.</summary>
    FirstOrder,

    /// <summary>An order was delivered <see cref="TriggerConditions.Days"/> days ago.</summary>
    OrderDelivered,

    /// <summary>A cart with items has not changed for <see cref="TriggerConditions.IdleHours"/> hours.</summary>
    CartAbandoned,

    /// <summary>Today is the customer's birthday.</summary>
    Birthday,

    /// <summary>No order for <see cref="TriggerConditions.Days"/> days since the last paid one.</summary>
    Inactivity,

    /// <summary>The customer reached a loyalty tier (<see cref="TriggerConditions.Tier"/>, or any).</summary>
    LoyaltyTierChanged,

    /// <summary>A product the customer asked to be told about came back into stock.</summary>
    BackInStock,
}

/// <summary>
/// The conditions of a trigger (marketing_automations.trigger_conditions, snake_case keys).
/// Which apply depends on the trigger: <see cref="AutomationDefinitionParser.Parse"/> refuses the others.
/// </summary>
public sealed record TriggerConditions
{
    /// <summary>cart_abandoned: hours without a change to the cart.</summary>
    public int? IdleHours { get; init; }

    /// <summary>cart_abandoned: the cart's smallest value worth a reminder (BRL).</summary>
    public decimal MinCartValue { get; init; }

    /// <summary>order_delivered: days after delivery; inactivity: days without an order.</summary>
    public int? Days { get; init; }

    /// <summary>birthday: how many days ahead of the birthday it fires (0 to 30); null is the day itself.</summary>
    public int? DaysBefore { get; init; }

    /// <summary>loyalty_tier_changed: the tier reached (case-insensitive); null for any.</summary>
    public string? Tier { get; init; }

    /// <summary>
    /// Whether an order placed after the trigger stops the execution (the goal was reached).
    /// Default true: a customer who bought is not reminded to buy.
    /// </summary>
    public bool StopOnOrder { get; init; } = true;

    /// <summary>Days after the trigger in which an order counts as the automation's conversion.</summary>
    public int ConversionDays { get; init; } = 7;
}

/// <summary>One step of an automation's action sequence.</summary>
public abstract record AutomationStep
{
    /// <summary>The step's action name in the JSON sequence.</summary>
    public abstract string Action { get; }
}

/// <summary>Waits before the next step: a due time the engine keeps in the execution's row, so a restart loses nothing.</summary>
public sealed record WaitStep(TimeSpan Duration) : AutomationStep
{
    public override string Action => AutomationActions.Wait;
}

/// <summary>Sends the e-mail template (email_templates.name) through the mail outbox.</summary>
public sealed record SendEmailStep(string Template) : AutomationStep
{
    public override string Action => AutomationActions.SendEmail;
}

/// <summary>Issues a single-use coupon that only this customer may use; later e-mails show its code.</summary>
public sealed record IssueCouponStep(CouponType Type, decimal Value, int ValidDays, decimal MinimumAmount) : AutomationStep
{
    public override string Action => AutomationActions.IssueCoupon;
}

/// <summary>Adds the customer to a customer group (segments are computed from their criteria; a segment on the group follows).</summary>
public sealed record AddToGroupStep(long GroupId) : AutomationStep
{
    public override string Action => AutomationActions.AddToGroup;
}

/// <summary>Tells the staff with the marketing permission, in the back office's notifications.</summary>
public sealed record NotifyStaffStep(string Message) : AutomationStep
{
    public override string Action => AutomationActions.NotifyStaff;
}

/// <summary>The action names of a sequence: one list, for the parser and the API's documentation.</summary>
public static class AutomationActions
{
    public const string Wait = "wait";
    public const string SendEmail = "send_email";
    public const string IssueCoupon = "issue_coupon";
    public const string AddToGroup = "add_to_group";
    public const string NotifyStaff = "notify_staff";

    public static readonly IReadOnlyList<string> All = [Wait, SendEmail, IssueCoupon, AddToGroup, NotifyStaff];
}

/// <summary>An automation as the engine runs it: its trigger with conditions and its steps.</summary>
public sealed record AutomationDefinition(AutomationTrigger Trigger, TriggerConditions Conditions, IReadOnlyList<AutomationStep> Steps)
{
    /// <summary>The templates the sequence sends, which must exist (checked where the database is).</summary>
    public IEnumerable<string> Templates => Steps.OfType<SendEmailStep>().Select(s => s.Template).Distinct(StringComparer.Ordinal);

    /// <summary>The groups the sequence adds to, which must exist.</summary>
    public IEnumerable<long> Groups => Steps.OfType<AddToGroupStep>().Select(s => s.GroupId).Distinct();
}
