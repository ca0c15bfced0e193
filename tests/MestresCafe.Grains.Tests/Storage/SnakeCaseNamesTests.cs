using MestresCafe.Coupons;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Storage;

/// <summary>
/// The one enum-to-name rule (<see cref="SnakeCaseNames"/>) against what the schema accepts: every
/// name a projection or the API can write is allowed by its column's CHECK constraint, and a name
/// reads back as the value it came from.
/// </summary>
public sealed class SnakeCaseNamesTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(SnakeCaseNamesTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_name_a_projection_writes_is_one_its_check_constraint_accepts()
    {
        var relational = Enum.GetValues<OrderStatus>().Where(s => s != OrderStatus.Rejected).Select(s => s.ToSql());
        await AssertAcceptedAsync("orders", "status", relational);
        await AssertAcceptedAsync("order_status_history", "status", relational);
        await AssertAcceptedAsync("payments", "status", Names<PaymentStatus>());
        await AssertAcceptedAsync("payment_methods", "type", Names<PaymentMethodKind>());
        await AssertAcceptedAsync("returns", "status", Names<ReturnStatus>());
        await AssertAcceptedAsync("coupons", "type", Names<CouponType>());
    }

    [Fact]
    public void Names_are_the_relational_spelling_and_parse_back_exactly()
    {
        Assert.Equal("awaiting_payment", OrderStatus.AwaitingPayment.ToSql());
        Assert.Equal("partially_refunded", PaymentStatus.PartiallyRefunded.ToSnakeCase());
        Assert.Equal("credit_card", PaymentMethodKind.CreditCard.ToSnakeCase());
        Assert.Equal("fixed_amount", CouponType.FixedAmount.ToSnakeCase());
        Assert.Equal("pix, credit_card, boleto or invoice", SnakeCaseNames.Choices<PaymentMethodKind>());
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatus.Rejected.ToSql());

        Assert.True(SnakeCaseNames.TryParse<CouponType>("free_shipping", out var type));
        Assert.Equal(CouponType.FreeShipping, type);
        foreach (var spelling in new[] { "FreeShipping", "Free_Shipping", "free-shipping", "2", "", null })
        {
            Assert.False(SnakeCaseNames.TryParse<CouponType>(spelling, out _), spelling);
        }
    }

    private static IEnumerable<string> Names<TEnum>() where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(v => v.ToSnakeCase());

    private async Task AssertAcceptedAsync(string table, string column, IEnumerable<string> names)
    {
        var checks = await _database.ScalarAsync<string>(
            """
            select coalesce(string_agg(pg_get_constraintdef(c.oid), ' '), '')
            from pg_constraint c
            join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
            where c.contype = 'c' and c.conrelid = $1::regclass and a.attname = $2
            """, table, column);
        Assert.NotEqual("", checks);
        foreach (var name in names)
        {
            Assert.True(checks.Contains($"'{name}'", StringComparison.Ordinal), $"{table}.{column} does not accept '{name}': {checks}");
        }
    }
}
