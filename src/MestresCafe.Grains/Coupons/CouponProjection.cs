using MestresCafe.Coupons;
using MestresCafe.Data.Coupons;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Coupons;

/// <summary>A coupons row and its coupon_usage rows, as a coupon grain finds them on first activation.</summary>
public sealed record CouponRow(long Id, CouponDefinition Definition, int UsedCount, long StateVersion, IReadOnlyList<CouponRowUse> Uses);

public sealed record CouponRowUse(string OrderNumber, long UserId, decimal Discount, DateTimeOffset UsedAt);

/// <summary>
/// Maps between a coupon grain and <see cref="CouponProjectionStore"/>: the row a grain starts from
/// (category slugs of older rows resolved to ids), and its outbox (the coupons row from the durable
/// state, a coupon_usage row per confirmed use).
/// </summary>
public sealed class CouponProjection(CouponProjectionStore store) : IProjection<string, CouponState, CouponEvent>
{
    public async Task<CouponRow?> LoadAsync(string code, CancellationToken cancellationToken = default)
    {
        if (await store.LoadAsync(code, cancellationToken) is not { } loaded)
        {
            return null;
        }

        var (coupon, uses) = loaded;

        if (!SnakeCaseNames.TryParse<CouponType>(coupon.Type, out var type))
        {
            throw new InvalidOperationException($"Coupon {code} has an unknown type '{coupon.Type}'.");
        }

        var definition = new CouponDefinition(
            type, coupon.Value, coupon.MinimumAmount, coupon.UsageLimit, coupon.PerCustomerLimit, Utc(coupon.StartsAt), Utc(coupon.ExpiresAt),
            coupon.IsActive, await ResolveSlugsAsync(CouponConditionsJson.Read(coupon.Conditions), cancellationToken), coupon.Description);
        return new CouponRow(
            coupon.Id, definition, coupon.UsedCount, coupon.StateVersion,
            uses.Select(u => new CouponRowUse(u.OrderNumber, u.UserId, u.DiscountAmount, Utc(u.UsedAt))).ToList());
    }

    public Task ApplyAsync(string code, CouponState state, IReadOnlyList<CouponEvent> events, CancellationToken cancellationToken)
    {
        if (state.Definition is not { } definition)
        {
            return Task.CompletedTask;
        }

        var coupon = new CouponUpsertRow(
            code, definition.Type.ToSnakeCase(), definition.Value, definition.MinimumAmount, definition.UsageLimit, state.UsedCount,
            definition.StartsAt, definition.ExpiresAt, definition.IsActive, CouponConditionsJson.Write(definition.Conditions),
            definition.PerCustomerLimit, definition.Description, state.Version);
        var uses = events
            .Where(e => e.Type == CouponEventType.Confirmed && e.OrderNumber is not null)
            .Select(e => new CouponUseRow(e.OrderNumber!, e.Discount, e.OccurredAt))
            .ToList();
        return store.ApplyAsync(coupon, uses, cancellationToken);
    }

    private async Task<CouponConditions> ResolveSlugsAsync(CouponConditionsJson.Parsed parsed, CancellationToken cancellationToken)
    {
        if (parsed.CategorySlugs.Count == 0 && parsed.ExcludedCategorySlugs.Count == 0)
        {
            return parsed.Conditions;
        }

        var ids = await store.CategoryIdsAsync(parsed.CategorySlugs.Concat(parsed.ExcludedCategorySlugs).ToList(), cancellationToken);
        var included = parsed.Conditions.CategoryIds.Concat(parsed.CategorySlugs.Where(ids.ContainsKey).Select(s => ids[s])).ToList();
        if (parsed.CategorySlugs.Count > 0 && included.Count == 0)
        {
            // Restricted to categories that do not exist: it applies to nothing. An empty list
            // would mean "applies to everything"; 0 is an id no category has.
            included.Add(0);
        }

        return parsed.Conditions with
        {
            CategoryIds = included,
            ExcludedCategoryIds = parsed.Conditions.ExcludedCategoryIds
                .Concat(parsed.ExcludedCategorySlugs.Where(ids.ContainsKey).Select(s => ids[s])).ToList(),
        };
    }

    // timestamptz is read as a UTC DateTime.
    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? Utc(value) : null;
}
