using System.Collections.Concurrent;
using MestresCafe.Coupons;
using MestresCafe.Data.Coupons;
using MestresCafe.Data.Projections;
using MestresCafe.Grains.Coupons;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Testing;
using Npgsql;

namespace MestresCafe.Grains.Tests.Coupons;

public sealed class CouponGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan ProjectionDeadline = TimeSpan.FromSeconds(15);
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(nameof(CouponGrainTests), silos: 2);
        // Every update of a coupons row is logged, so a test can assert over the whole history
        // that its state version never went backwards.
        await _cluster.Database.ExecuteAsync(
            """
            create table coupon_version_log (code text, old_version bigint, new_version bigint);
            create function log_coupon_version() returns trigger language plpgsql as $$
            begin
                insert into coupon_version_log values (new.code, old.state_version, new.state_version);
                return new;
            end $$;
            create trigger coupon_version_log after update on coupons for each row execute function log_coupon_version();
            """);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private NpgsqlDataSource Db => _cluster.Database.DataSource;

    [Fact]
    public async Task Five_hundred_concurrent_checkouts_confirm_at_most_fifty_uses_and_no_customer_twice()
    {
        const string code = "LIMITED50";
        var coupon = _cluster.Client.GetGrain<ICouponGrain>(code);
        await coupon.DefineAsync(Percentage(10) with { UsageLimit = 50, PerCustomerLimit = 1 });
        var users = await InsertUsersAsync("limited", 250);
        var orders = users.SelectMany(user => new[] { ($"L50-{user}-A", user), ($"L50-{user}-B", user) })
            .OrderBy(_ => Random.Shared.Next()).ToList();
        await InsertOrdersAsync(orders);
        var confirmed = new ConcurrentBag<(string Order, long User)>();
        var outcomes = new ConcurrentBag<CouponHoldOutcome>();

        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (order, _) =>
        {
            var hold = await coupon.HoldAsync(Hold(order.Item1, order.Item2));
            outcomes.Add(hold.Outcome);
            if (hold.Succeeded && await coupon.ConfirmAsync(order.Item1))
            {
                confirmed.Add(order);
            }
        });

        // Nothing was released, so the first fifty holds won; every other checkout hit a limit.
        Assert.Equal(50, confirmed.Count);
        Assert.Equal(50, confirmed.Select(c => c.User).Distinct().Count());
        Assert.Equal(500, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { CouponHoldOutcome.Held, CouponHoldOutcome.UsageLimitReached, CouponHoldOutcome.CustomerLimitReached }));
        var snapshot = await coupon.GetAsync();
        Assert.Equal((50, 0), (snapshot!.UsedCount, snapshot.HeldCount));

        Assert.True(await Eventually.TrueAsync(async () => await UsageRowsAsync(code) == 50 && await UsedCountAsync(code) == 50, ProjectionDeadline),
            "the projection did not catch up");
        var projected = await ProjectedUsesAsync(code);
        Assert.Equal(confirmed.Select(c => c.Order).Order(), projected.Select(p => p.Order).Order());
        Assert.All(projected, p => Assert.Equal(confirmed.Single(c => c.Order == p.Order).User, p.User));
        Assert.Equal(0, await ScalarAsync<long>("select count(*) from coupon_version_log where new_version < old_version"));
    }

    [Fact]
    public async Task An_expired_hold_is_released_by_a_reminder_even_when_the_grain_was_idle()
    {
        const string code = "IDLE1";
        var coupon = _cluster.Client.GetGrain<ICouponGrain>(code);
        await coupon.DefineAsync(Percentage(10) with { UsageLimit = 1 });
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        Assert.True((await coupon.HoldAsync(Hold("IDLE-A", 1) with { ExpiresAt = expiresAt })).Succeeded);
        Assert.Equal(CouponHoldOutcome.UsageLimitReached, (await coupon.HoldAsync(Hold("IDLE-B", 2))).Outcome);

        await _cluster.Cluster.DeactivateAsync(coupon);
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        Assert.Null(await management.GetActivationAddress(coupon));

        // Only the reminder can bring the grain back: nothing calls it until it is active again.
        Assert.True(await Eventually.TrueAsync(async () => await management.GetActivationAddress(coupon) is not null, TimeSpan.FromSeconds(20)),
            "no reminder woke the idle grain");
        var wokenAt = DateTimeOffset.UtcNow;
        Assert.True(await Eventually.TrueAsync(async () => (await coupon.GetAsync())!.HeldCount == 0, TimeSpan.FromSeconds(5)));

        Assert.InRange(wokenAt - expiresAt, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(3));
        Assert.True((await coupon.HoldAsync(Hold("IDLE-B", 2))).Succeeded);
    }

    [Fact]
    public async Task A_released_hold_can_be_taken_again_and_is_never_confirmed()
    {
        var coupon = _cluster.Client.GetGrain<ICouponGrain>("RELEASE1");
        await coupon.DefineAsync(Percentage(10) with { UsageLimit = 1, PerCustomerLimit = 1 });

        Assert.True((await coupon.HoldAsync(Hold("REL-A", 1))).Succeeded);
        Assert.Equal(CouponHoldOutcome.UsageLimitReached, (await coupon.HoldAsync(Hold("REL-B", 2))).Outcome);
        await coupon.ReleaseAsync("REL-A");
        await coupon.ReleaseAsync("REL-A");
        Assert.True((await coupon.HoldAsync(Hold("REL-A", 1))).Succeeded);
        await coupon.ReleaseAsync("REL-A");
        Assert.True((await coupon.HoldAsync(Hold("REL-B", 2))).Succeeded);

        Assert.False(await coupon.ConfirmAsync("REL-A"));
        Assert.True(await coupon.ConfirmAsync("REL-B"));
        Assert.True(await coupon.ConfirmAsync("REL-B"));
        var snapshot = await coupon.GetAsync();
        Assert.Equal((1, 0), (snapshot!.UsedCount, snapshot.HeldCount));
    }

    [Fact]
    public async Task A_usage_limit_below_the_uses_taken_is_refused_across_the_cluster_boundary()
    {
        var coupon = _cluster.Client.GetGrain<ICouponGrain>("SHRINK1");
        await coupon.DefineAsync(Percentage(10) with { UsageLimit = 3 });
        await coupon.HoldAsync(Hold("SHR-A", 1));
        await coupon.HoldAsync(Hold("SHR-B", 2));

        var error = await Assert.ThrowsAsync<CouponDefinitionException>(() => coupon.DefineAsync(Percentage(10) with { UsageLimit = 1 }));

        Assert.Equal("usageLimit", error.Field);
        Assert.Equal(3, (await coupon.GetAsync())!.Definition.UsageLimit);
    }

    [Fact]
    public async Task Holds_and_uses_survive_deactivation()
    {
        var coupon = _cluster.Client.GetGrain<ICouponGrain>("PERSIST1");
        await coupon.DefineAsync(Percentage(10) with { UsageLimit = 10 });
        await coupon.HoldAsync(Hold("PER-A", 1));
        await coupon.HoldAsync(Hold("PER-B", 2));
        await coupon.ConfirmAsync("PER-A");

        await _cluster.Cluster.DeactivateAsync(coupon);
        var snapshot = await coupon.GetAsync();

        Assert.Equal((1, 1), (snapshot!.UsedCount, snapshot.HeldCount));
        Assert.True(await coupon.ConfirmAsync("PER-B"));
    }

    [Fact]
    public async Task An_unknown_code_is_not_found_until_it_is_defined()
    {
        var coupon = _cluster.Client.GetGrain<ICouponGrain>("NOSUCHCODE");

        Assert.Null(await coupon.GetAsync());
        Assert.Equal(CouponHoldOutcome.NotFound, (await coupon.HoldAsync(Hold("NF-A", 1))).Outcome);
        Assert.NotNull(await coupon.CreateAsync(Percentage(5)));
        Assert.Null(await coupon.CreateAsync(Percentage(50)));

        Assert.Equal(5, (await coupon.GetAsync())!.Definition.Value);
        Assert.True((await coupon.HoldAsync(Hold("NF-A", 1))).Succeeded);
        Assert.True(await Eventually.TrueAsync(async () => await ScalarAsync<long>("select count(*) from coupons where code = 'NOSUCHCODE'") == 1, ProjectionDeadline));
    }

    [Fact]
    public async Task A_coupon_that_exists_only_as_a_row_starts_from_the_row_and_its_recorded_uses()
    {
        var categoryId = await ScalarAsync<long>("insert into categories (name, slug) values ('Microlotes', 'microlotes-teste') returning id");
        var users = await InsertUsersAsync("seeded", 2);
        await InsertOrdersAsync([("SEED-OLD-1", users[0])]);
        await _cluster.Database.ExecuteAsync(
            """
            insert into coupons (code, type, value, usage_limit, per_customer_limit, used_count, conditions, state_version)
            values ('SEEDED15', 'percentage', 15, 300, 1, 1, '{"category_slugs": ["microlotes-teste"]}', 4);
            insert into coupon_usage (coupon_id, order_id, user_id, discount_amount)
            select c.id, o.id, o.user_id, 3.00 from coupons c, orders o where c.code = 'SEEDED15' and o.order_number = 'SEED-OLD-1';
            """);
        var coupon = _cluster.Client.GetGrain<ICouponGrain>("SEEDED15");

        var snapshot = await coupon.GetAsync();

        Assert.Equal([categoryId], snapshot!.Definition.Conditions.CategoryIds);
        Assert.Equal((1, 4L), (snapshot.UsedCount, snapshot.Version));
        Assert.Equal(CouponHoldOutcome.CustomerLimitReached,
            (await coupon.HoldAsync(Hold("SEED-NEW-1", users[0]) with { Lines = [new CouponLine(1, [categoryId], 100m)] })).Outcome);
        Assert.Equal(CouponHoldOutcome.NotApplicable, (await coupon.HoldAsync(Hold("SEED-NEW-2", users[1]))).Outcome);
        var held = await coupon.HoldAsync(Hold("SEED-NEW-2", users[1]) with { Lines = [new CouponLine(1, [categoryId], 100m)] });
        Assert.Equal((CouponHoldOutcome.Held, 15m), (held.Outcome, held.Discount));
    }

    [Fact]
    public async Task A_confirmed_use_waits_for_its_order_row_and_is_projected_once_the_order_is_there()
    {
        const string code = "LATEORDER";
        var coupon = _cluster.Client.GetGrain<ICouponGrain>(code);
        await coupon.DefineAsync(Percentage(10));
        var user = (await InsertUsersAsync("late", 1))[0];
        Assert.True(await Eventually.TrueAsync(async () => await ScalarAsync<long>($"select count(*) from coupons where code = '{code}'") == 1, ProjectionDeadline));

        await coupon.HoldAsync(Hold("LATE-1", user));
        Assert.True(await coupon.ConfirmAsync("LATE-1"));
        // That the use is not projected while its order row is missing is the next test's point.
        await InsertOrdersAsync([("LATE-1", user)]);

        Assert.True(await Eventually.TrueAsync(async () => await UsageRowsAsync(code) == 1 && await UsedCountAsync(code) == 1, ProjectionDeadline),
            "the pump did not retry the use once its order existed");
    }

    [Fact]
    public async Task A_use_whose_order_row_is_missing_is_refused_whole_so_used_count_and_coupon_usage_stay_together()
    {
        const string code = "NOORDER";
        var projection = new CouponProjection(new CouponProjectionStore(Db, ProjectionTransactions.OneEach(Db)));
        await projection.ApplyAsync(code, new CouponState { Definition = Percentage(10), Version = 1 }, [], CancellationToken.None);
        var confirmed = new CouponEvent(Guid.NewGuid(), CouponEventType.Confirmed, 2, DateTimeOffset.UtcNow, "NOORDER-1", 5m);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            projection.ApplyAsync(code, new CouponState { Definition = Percentage(10), UsedCount = 1, Version = 2 }, [confirmed], CancellationToken.None));

        Assert.Equal((0L, 0, 1L), (await UsageRowsAsync(code), await UsedCountAsync(code),
            await ScalarAsync<long>($"select state_version from coupons where code = '{code}'")));
    }

    [Fact]
    public async Task A_stale_projection_never_takes_the_coupons_row_back_to_an_older_version()
    {
        var projection = new CouponProjection(new CouponProjectionStore(Db, ProjectionTransactions.OneEach(Db)));
        var newer = new CouponState { Definition = Percentage(20) with { Description = "newer" }, UsedCount = 2, Version = 7 };
        var older = new CouponState { Definition = Percentage(10) with { Description = "older" }, UsedCount = 1, Version = 5 };

        await projection.ApplyAsync("STALE1", newer, [], CancellationToken.None);
        await projection.ApplyAsync("STALE1", older, [], CancellationToken.None);
        await projection.ApplyAsync("STALE1", newer, [], CancellationToken.None);

        Assert.Equal(7, await ScalarAsync<long>("select state_version from coupons where code = 'STALE1'"));
        Assert.Equal(2, await ScalarAsync<int>("select used_count from coupons where code = 'STALE1'"));
        Assert.Equal("newer", await ScalarAsync<string>("select description from coupons where code = 'STALE1'"));
        Assert.Equal(0, await ScalarAsync<long>("select count(*) from coupon_version_log where code = 'STALE1'"));
    }

    [Fact]
    public async Task Customer_conditions_are_read_by_the_coupon_from_the_customer_records_not_taken_from_the_caller()
    {
        var users = await InsertUsersAsync("groups", 3);
        var (member, lapsedMember, returning) = (users[0], users[1], users[2]);
        var group = await ScalarAsync<long>("insert into customer_groups (name) values ('Atacado ' || gen_random_uuid()) returning id");
        await _cluster.Database.ExecuteAsync(
            $"""
            insert into customers (user_id) values ({member}), ({lapsedMember});
            insert into customer_group_members (customer_id, group_id, expires_at)
            select c.id, {group}, case when c.user_id = {lapsedMember} then now() - interval '1 day' end from customers c
            where c.user_id in ({member}, {lapsedMember});
            update users set email_verified_at = now() where id in ({member}, {returning});
            insert into orders (order_number, user_id) values ('GRP-EARLIER', {returning});
            """);
        var wholesale = _cluster.Client.GetGrain<ICouponGrain>("ATACADO10");
        await wholesale.DefineAsync(Percentage(10) with { Conditions = new CouponConditions([], [], false, [group]) });
        var welcome = _cluster.Client.GetGrain<ICouponGrain>("BEMVINDO-GRP");
        await welcome.DefineAsync(Percentage(10) with { Conditions = new CouponConditions([], [], true, []) });
        // What a caller claims about the customer changes nothing: the coupon asks the records.
        CouponHoldRequest Claimed(string number, long user) =>
            Hold(number, user) with { CustomerGroupIds = [group], IsFirstOrder = true, IsEmailVerified = true };

        Assert.Equal(CouponHoldOutcome.Held, (await wholesale.HoldAsync(Hold("GRP-1", member))).Outcome);
        Assert.Equal(CouponHoldOutcome.NotApplicable, (await wholesale.HoldAsync(Claimed("GRP-2", lapsedMember))).Outcome);
        Assert.Equal(CouponHoldOutcome.Held, (await welcome.HoldAsync(Hold("GRP-3", member))).Outcome);
        Assert.Equal(CouponHoldOutcome.EmailNotVerified, (await welcome.HoldAsync(Claimed("GRP-4", lapsedMember))).Outcome);
        Assert.Equal(CouponHoldOutcome.FirstOrderOnly, (await welcome.HoldAsync(Claimed("GRP-5", returning))).Outcome);
    }

    private static CouponDefinition Percentage(decimal value) =>
        new(CouponType.Percentage, value, 0, null, null, null, null, true, CouponConditions.None, null);

    private static CouponHoldRequest Hold(string orderNumber, long userId) =>
        new(orderNumber, userId, [new CouponLine(1, [], 100m)], 15m, false, [], DateTimeOffset.UtcNow.AddMinutes(10));

    private async Task<List<long>> InsertUsersAsync(string prefix, int count)
    {
        await using var command = Db.CreateCommand(
            "insert into users (email) select $1 || '-' || g || '@example.com.br' from generate_series(1, $2) g returning id");
        command.Parameters.Add(new() { Value = prefix + "-" + Guid.NewGuid().ToString("N")[..8] });
        command.Parameters.Add(new() { Value = count });
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private async Task InsertOrdersAsync(IReadOnlyList<(string Number, long User)> orders)
    {
        await using var command = Db.CreateCommand(
            "insert into orders (order_number, user_id) select * from unnest($1::text[], $2::bigint[])");
        command.Parameters.Add(new() { Value = orders.Select(o => o.Number).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => o.User).ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    private Task<long> UsageRowsAsync(string code) =>
        ScalarAsync<long>("select count(*) from coupon_usage cu join coupons c on c.id = cu.coupon_id where c.code = $1", code);

    private Task<int> UsedCountAsync(string code) =>
        ScalarAsync<int>("select coalesce((select used_count from coupons where code = $1), -1)", code);

    private async Task<List<(string Order, long User)>> ProjectedUsesAsync(string code)
    {
        await using var command = Db.CreateCommand(
            """
            select o.order_number, cu.user_id from coupon_usage cu
            join coupons c on c.id = cu.coupon_id join orders o on o.id = cu.order_id
            where c.code = $1
            """);
        command.Parameters.Add(new() { Value = code });
        var uses = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            uses.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return uses;
    }

    private Task<T> ScalarAsync<T>(string sql, params object[] parameters) => _cluster.Database.ScalarAsync<T>(sql, parameters);
}
