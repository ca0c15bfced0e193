using MestresCafe.Coupons;

namespace MestresCafe.Grains.Coupons;

public enum ConfirmOutcome
{
    Confirmed,
    AlreadyConfirmed,
    NotHeld,
    LimitReached,
}

/// <summary>
/// The rules of one coupon, free of Orleans so that unit tests reach them directly. The invariants:
/// confirmed plus held uses never exceed the usage limit, and no customer's confirmed plus held
/// uses exceed the per-customer limit. Every change bumps the version; definitions and confirmed
/// uses also go to the outbox for the relational side.
/// </summary>
public sealed class CouponRules
{
    /// <summary>How long an expired hold can still be confirmed by a late payment capture.</summary>
    public static readonly TimeSpan LapsedRetention = TimeSpan.FromDays(30);

    private readonly CouponState _state;
    private readonly TimeProvider _clock;
    // Held plus confirmed uses per customer, derived from the state so it is never persisted twice.
    private readonly Dictionary<long, int> _usesByCustomer = [];

    public CouponRules(CouponState state, TimeProvider clock)
    {
        _state = state;
        _clock = clock;
        foreach (var use in state.Uses.Values)
        {
            CountUse(use.UserId, +1);
        }

        foreach (var hold in state.Holds.Values)
        {
            CountUse(hold.UserId, +1);
        }
    }

    public CouponState State => _state;

    public bool Exists => _state.Definition is not null;

    public int UsesOf(long userId) => _usesByCustomer.GetValueOrDefault(userId);

    /// <summary>
    /// Prices an order against a definition: validity, active flag, conditions and minimum amount,
    /// but not the usage limits, which depend on the coupon's history.
    /// </summary>
    public static CouponHoldResult Evaluate(CouponDefinition definition, CouponHoldRequest request, DateTimeOffset now)
    {
        if (!definition.IsActive)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.Inactive);
        }

        if (definition.StartsAt is { } starts && now < starts)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.NotStarted);
        }

        if (definition.ExpiresAt is { } expires && now >= expires)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.Expired);
        }

        var conditions = definition.Conditions;
        if (conditions.UserIds.Count > 0 && !conditions.UserIds.Contains(request.UserId))
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.OtherCustomer);
        }

        if (conditions.CustomerGroupIds.Count > 0 && !(request.CustomerGroupIds ?? []).Any(conditions.CustomerGroupIds.Contains))
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.NotApplicable);
        }

        if (conditions.FirstOrderOnly && !request.IsFirstOrder)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.FirstOrderOnly);
        }

        // "First order" means once per person: a new e-mail address costs nothing, a mailbox the
        // customer proved they read is what a first-order coupon is tied to.
        if (conditions.FirstOrderOnly && !request.IsEmailVerified)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.EmailNotVerified);
        }

        if (!Allows(conditions.ShippingMethods, request.ShippingMethod) || !Allows(conditions.ShippingStates, request.ShippingState))
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.NotApplicable);
        }

        var eligibleLines = (request.Lines ?? []).Where(line => IsEligible(conditions, line)).ToList();
        if (eligibleLines.Count == 0)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.NotApplicable);
        }

        var eligible = eligibleLines.Sum(line => Math.Max(0m, line.LineTotal));
        if (eligible < definition.MinimumAmount)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.BelowMinimum);
        }

        return definition.Type switch
        {
            CouponType.Percentage => new(CouponHoldOutcome.Held,
                Math.Min(eligible, Math.Round(eligible * definition.Value / 100m, 2, MidpointRounding.AwayFromZero)), false),
            CouponType.FixedAmount => new(CouponHoldOutcome.Held, Math.Min(eligible, definition.Value), false),
            // The value of a free-shipping coupon caps the waived shipping; 0 means no cap.
            _ => new(CouponHoldOutcome.Held, 0, true)
            {
                ShippingDiscount = definition.Value > 0
                    ? Math.Min(definition.Value, Math.Max(0m, request.ShippingAmount))
                    : Math.Max(0m, request.ShippingAmount),
            },
        };
    }

    /// <summary>A line counts when the coupon lists neither products nor categories, or lists one of the line's.</summary>
    public static bool IsEligible(CouponConditions conditions, CouponLine line)
    {
        var categories = line.CategoryIds ?? [];
        if (categories.Any(conditions.ExcludedCategoryIds.Contains))
        {
            return false;
        }

        return (conditions.CategoryIds.Count == 0 && conditions.ProductIds.Count == 0)
            || conditions.ProductIds.Contains(line.ProductId)
            || categories.Any(conditions.CategoryIds.Contains);
    }

    /// <summary>
    /// Whether deciding this order's hold needs the customer facts from the relational side (the
    /// coupon has a first-order or customer-group condition and the order holds no use yet), so
    /// that every other coupon decides without a query.
    /// </summary>
    public bool NeedsCustomerFacts(string orderNumber) =>
        _state.Definition is { Conditions: var conditions }
        && (conditions.FirstOrderOnly || conditions.CustomerGroupIds.Count > 0)
        && !_state.Holds.ContainsKey(orderNumber)
        && !_state.Uses.ContainsKey(orderNumber);

    public CouponHoldResult Hold(CouponHoldRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OrderNumber);
        if (_state.Definition is not { } definition)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.NotFound);
        }

        if (_state.Holds.TryGetValue(request.OrderNumber, out var held))
        {
            return new(CouponHoldOutcome.Held, held.Discount, held.FreeShipping) { ShippingDiscount = held.ShippingDiscount };
        }

        if (_state.Uses.TryGetValue(request.OrderNumber, out var used))
        {
            return new(CouponHoldOutcome.Held, used.Discount, used.FreeShipping) { ShippingDiscount = used.ShippingDiscount };
        }

        var now = _clock.GetUtcNow();
        var priced = Evaluate(definition, request, now);
        if (!priced.Succeeded)
        {
            return priced;
        }

        // The customer's own holds and uses of this coupon count as earlier orders: two checkouts
        // racing each other both look like a first order to the orders table, not to this history.
        if (definition.Conditions.FirstOrderOnly && UsesOf(request.UserId) > 0)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.FirstOrderOnly);
        }

        if (definition.UsageLimit is { } limit && _state.UsedCount + _state.Holds.Count >= limit)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.UsageLimitReached);
        }

        if (definition.PerCustomerLimit is { } perCustomer && UsesOf(request.UserId) >= perCustomer)
        {
            return CouponHoldResult.Rejected(CouponHoldOutcome.CustomerLimitReached);
        }

        _state.Lapsed.Remove(request.OrderNumber);
        _state.Holds[request.OrderNumber] = new CouponHold(
            request.UserId, priced.Discount, priced.FreeShipping, priced.ShippingDiscount, request.ExpiresAt, now);
        CountUse(request.UserId, +1);
        _state.Version++;
        return priced;
    }

    public ConfirmOutcome Confirm(string orderNumber)
    {
        if (_state.Uses.ContainsKey(orderNumber))
        {
            return ConfirmOutcome.AlreadyConfirmed;
        }

        if (_state.Holds.Remove(orderNumber, out var hold))
        {
            // The hold already counted against both limits; it becomes the use it reserved.
            AddUse(orderNumber, hold);
            return ConfirmOutcome.Confirmed;
        }

        if (!_state.Lapsed.TryGetValue(orderNumber, out var lapsed) || _state.Definition is not { } definition)
        {
            return ConfirmOutcome.NotHeld;
        }

        // The payment arrived after the hold expired: the customer was promised the discount, so
        // the use is taken if it still fits; the limits are never bent for it.
        if ((definition.UsageLimit is { } limit && _state.UsedCount + _state.Holds.Count >= limit)
            || (definition.PerCustomerLimit is { } perCustomer && UsesOf(lapsed.UserId) >= perCustomer)
            || (definition.Conditions.FirstOrderOnly && UsesOf(lapsed.UserId) > 0))
        {
            return ConfirmOutcome.LimitReached;
        }

        _state.Lapsed.Remove(orderNumber);
        CountUse(lapsed.UserId, +1);
        AddUse(orderNumber, lapsed);
        return ConfirmOutcome.Confirmed;
    }

    public bool Release(string orderNumber)
    {
        if (_state.Holds.Remove(orderNumber, out var hold))
        {
            CountUse(hold.UserId, -1);
            _state.Version++;
            return true;
        }

        if (_state.Lapsed.Remove(orderNumber))
        {
            // A released order must not be confirmed later by a stray payment event.
            _state.Version++;
            return true;
        }

        return false;
    }

    /// <summary>Gives back every hold whose expiry has passed and forgets old lapsed holds. True when anything changed.</summary>
    public bool ExpireDue()
    {
        var now = _clock.GetUtcNow();
        var due = _state.Holds.Where(h => h.Value.ExpiresAt <= now).ToList();
        foreach (var (orderNumber, hold) in due)
        {
            _state.Holds.Remove(orderNumber);
            _state.Lapsed[orderNumber] = hold;
            CountUse(hold.UserId, -1);
        }

        var forgotten = _state.Lapsed.Where(h => h.Value.ExpiresAt + LapsedRetention <= now).Select(h => h.Key).ToList();
        foreach (var orderNumber in forgotten)
        {
            _state.Lapsed.Remove(orderNumber);
        }

        if (due.Count == 0 && forgotten.Count == 0)
        {
            return false;
        }

        _state.Version++;
        return true;
    }

    public DateTimeOffset? NextExpiry() =>
        _state.Holds.Count == 0 ? null : _state.Holds.Values.Min(h => h.ExpiresAt);

    /// <summary>
    /// Sets the definition, keeping the counters. Throws <see cref="CouponDefinitionException"/> when
    /// the definition is invalid, its usage limit is below the uses already confirmed or held, or it
    /// names other customers than the coupon is restricted to.
    /// </summary>
    public void Define(CouponDefinition definition)
    {
        var normalized = KeepCustomers(CouponValidation.Normalize(definition));
        var errors = CouponValidation.Validate(normalized);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            throw new CouponDefinitionException(field, messages[0]);
        }

        var taken = _state.UsedCount + _state.Holds.Count;
        if (normalized.UsageLimit is { } limit && limit < taken)
        {
            throw new CouponDefinitionException("usageLimit", $"{taken} uses are already confirmed or held.");
        }

        _state.Definition = normalized;
        Record(CouponEventType.Defined, null, 0);
    }

    /// <summary>
    /// The customers a coupon is restricted to are fixed when it is first defined: a personal coupon
    /// (a loyalty reward, paid for with its customer's points) must never become usable by anyone
    /// else through an edit. A redefinition that leaves them out keeps them; one that names other
    /// customers is refused, and so is restricting a coupon that was open to everyone.
    /// </summary>
    private CouponDefinition KeepCustomers(CouponDefinition definition)
    {
        var fixedCustomers = _state.Definition?.Conditions.UserIds;
        if (fixedCustomers is null || definition.Conditions.UserIds.SequenceEqual(fixedCustomers))
        {
            return definition;
        }

        if (definition.Conditions.UserIds.Count == 0)
        {
            return definition with { Conditions = definition.Conditions with { UserIds = fixedCustomers } };
        }

        throw new CouponDefinitionException("conditions.userIds", "The customers a coupon is for cannot change; create a new coupon instead.");
    }

    /// <summary>Starts from the coupons row (and its coupon_usage rows) that existed before the grain.</summary>
    public void Bootstrap(CouponRow row)
    {
        _state.Definition = CouponValidation.Normalize(row.Definition);
        foreach (var use in row.Uses)
        {
            if (_state.Uses.TryAdd(use.OrderNumber, new CouponUse(
                use.UserId, use.Discount, use.UsedAt, row.Definition.Type == CouponType.FreeShipping, 0)))
            {
                CountUse(use.UserId, +1);
            }
        }

        _state.UsedCount = Math.Max(row.UsedCount, _state.Uses.Count);
        _state.Version = row.StateVersion;
    }

    public CouponSnapshot? Snapshot(string code) => _state.Definition is { } definition
        ? new CouponSnapshot(code, definition, _state.UsedCount, _state.Holds.Count, _state.Version)
        : null;

    private static bool Allows(IReadOnlyList<string> allowed, string? actual) =>
        allowed.Count == 0 || (actual is not null && allowed.Contains(actual.Trim(), StringComparer.OrdinalIgnoreCase));

    private void AddUse(string orderNumber, CouponHold hold)
    {
        var now = _clock.GetUtcNow();
        _state.Uses[orderNumber] = new CouponUse(hold.UserId, hold.Discount, now, hold.FreeShipping, hold.ShippingDiscount);
        _state.UsedCount++;
        // coupon_usage records what the coupon saved the customer, shipping included.
        Record(CouponEventType.Confirmed, orderNumber, hold.Discount + hold.ShippingDiscount);
    }

    private void CountUse(long userId, int delta)
    {
        var count = _usesByCustomer.GetValueOrDefault(userId) + delta;
        if (count == 0)
        {
            _usesByCustomer.Remove(userId);
        }
        else
        {
            _usesByCustomer[userId] = count;
        }
    }

    private void Record(CouponEventType type, string? orderNumber, decimal discount)
    {
        _state.Version++;
        _state.Outbox.Add(new CouponEvent(Guid.NewGuid(), type, _state.Version, _clock.GetUtcNow(), orderNumber, discount));
    }
}
