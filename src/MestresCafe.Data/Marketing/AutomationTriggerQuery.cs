using Dapper;
using MestresCafe.Data.Reporting;
using MestresCafe.Marketing;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>
/// The facts a trigger is decided on, one row per candidate customer: <see cref="At"/> is the
/// event's time (the cart's last change, the delivery, the payment...), <see cref="Reference"/> what
/// it is about (an order number, a request id, a tier). <see cref="AutomationTriggerRules"/> decides.
/// </summary>
public sealed record TriggerFact
{
    public long CustomerId { get; init; }
    public long UserId { get; init; }
    public DateTimeOffset At { get; init; }
    public string Reference { get; init; } = "";
    public int Items { get; init; }
    public decimal Value { get; init; }
    public DateTime? BirthDate { get; init; }
}

/// <summary>
/// Finds the customers whose recent facts may be an occurrence of a trigger, within the window the
/// rules look at (never the whole history: each query is bounded by the lookback), active customers
/// with an active account only. The rules make the final call; the unique occurrence key makes
/// finding the same one again harmless.
/// </summary>
public sealed class AutomationTriggerQuery(NpgsqlDataSource dataSource)
{
    // Joined to each query's users row u: an active customer with an active account.
    private const string Customer = "join customers c on c.user_id = u.id and c.is_active and u.is_active";

    public async Task<IReadOnlyList<TriggerFact>> CandidatesAsync(
        AutomationTrigger trigger, TriggerConditions conditions, DateTimeOffset activeSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var offset = trigger switch
        {
            AutomationTrigger.CartAbandoned => TimeSpan.FromHours(conditions.IdleHours ?? 0),
            AutomationTrigger.OrderDelivered or AutomationTrigger.Inactivity => TimeSpan.FromDays(conditions.Days ?? 0),
            _ => TimeSpan.Zero,
        };
        // Events whose occurrence (event + offset) falls between the activation (or the lookback) and now.
        var from = (activeSince > now - AutomationTriggerRules.Lookback ? activeSince : now - AutomationTriggerRules.Lookback) - offset;
        var to = now - offset;
        var sql = trigger switch
        {
            AutomationTrigger.CartAbandoned =>
                $"""
                select c.id as customer_id, u.id as user_id, max(greatest(s.created_at, s.updated_at)) as at, '' as reference,
                       count(*)::int as items, sum(s.quantity * coalesce(v.price, p.price)) as value
                from shopping_cart s join users u on u.id = s.user_id {Customer}
                join products p on p.id = s.product_id left join product_variants v on v.id = s.variant_id
                group by c.id, u.id
                having max(greatest(s.created_at, s.updated_at)) between @from and @to
                """,
            AutomationTrigger.CustomerSignup =>
                $"select c.id as customer_id, u.id as user_id, c.created_at as at, '' as reference from users u {Customer} where c.created_at between @from and @to",
            AutomationTrigger.FirstOrder =>
                $"""
                select c.id as customer_id, u.id as user_id, o.paid_at as at, o.order_number as reference
                from orders o join users u on u.id = o.user_id {Customer}
                where o.paid_at between @from and @to
                  and not exists (select 1 from orders e where e.user_id = o.user_id and e.paid_at < o.paid_at)
                """,
            AutomationTrigger.OrderDelivered =>
                $"""
                select c.id as customer_id, u.id as user_id, o.delivered_at as at, o.order_number as reference
                from orders o join users u on u.id = o.user_id {Customer}
                where o.delivered_at between @from and @to
                """,
            AutomationTrigger.Inactivity =>
                $"""
                select c.id as customer_id, u.id as user_id, o.paid_at as at, o.order_number as reference
                from orders o join users u on u.id = o.user_id {Customer}
                where o.paid_at between @from and @to
                  and not exists (select 1 from orders e where e.user_id = o.user_id and e.created_at > o.paid_at and e.status <> 'cancelled')
                """,
            AutomationTrigger.Birthday =>
                $"""
                select c.id as customer_id, u.id as user_id, @now as at, '' as reference, c.birth_date
                from users u {Customer}
                where extract(month from c.birth_date) = extract(month from (@now at time zone '{ReportRange.DefaultTimeZone}')::date + @daysBefore)
                """,
            AutomationTrigger.LoyaltyTierChanged =>
                $"""
                select c.id as customer_id, u.id as user_id, coalesce(l.last_activity, l.joined_at) as at, l.tier_level as reference
                from customer_loyalty l join customers c0 on c0.id = l.customer_id join users u on u.id = c0.user_id {Customer}
                where coalesce(l.last_activity, l.joined_at) between @from and @to
                """,
            _ =>
                $"""
                select c.id as customer_id, u.id as user_id, r.notified_at as at, r.request_id::text as reference
                from back_in_stock_requests r join users u on u.id = r.user_id {Customer}
                where r.status = 'notified' and r.notified_at between @from and @to
                """,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<TriggerFact>(new CommandDefinition(sql, new { from, to, now, daysBefore = conditions.DaysBefore ?? 0 }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The occurrence the rules see in a fact, or null.</summary>
    public static TriggerOccurrence? Occurrence(
        AutomationTrigger trigger, TriggerConditions conditions, TriggerFact fact, DateTimeOffset activeSince, DateTimeOffset now, TimeZoneInfo storeZone) =>
        trigger switch
        {
            AutomationTrigger.CartAbandoned => AutomationTriggerRules.CartAbandoned(conditions, fact.CustomerId, fact.At, fact.Items, fact.Value, activeSince, now),
            AutomationTrigger.CustomerSignup => AutomationTriggerRules.SignedUp(fact.CustomerId, fact.At, activeSince, now),
            AutomationTrigger.FirstOrder => AutomationTriggerRules.FirstOrderPaid(fact.CustomerId, fact.Reference, fact.At, activeSince, now),
            AutomationTrigger.OrderDelivered => AutomationTriggerRules.OrderDelivered(conditions, fact.CustomerId, fact.Reference, fact.At, activeSince, now),
            AutomationTrigger.Inactivity => AutomationTriggerRules.Inactive(conditions, fact.CustomerId, fact.Reference, fact.At, activeSince, now),
            AutomationTrigger.Birthday => fact.BirthDate is { } birth
                ? AutomationTriggerRules.Birthday(conditions, fact.CustomerId, DateOnly.FromDateTime(birth), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, storeZone).DateTime), now)
                : null,
            AutomationTrigger.LoyaltyTierChanged => AutomationTriggerRules.TierReached(conditions, fact.CustomerId, fact.Reference, fact.At, activeSince, now),
            _ => Guid.TryParse(fact.Reference, out var request) ? AutomationTriggerRules.BackInStock(fact.CustomerId, request, fact.At, activeSince, now) : null,
        };
}
