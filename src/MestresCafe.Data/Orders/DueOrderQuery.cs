using Dapper;
using Npgsql;

namespace MestresCafe.Data.Orders;

/// <summary>
/// Where the order sweeper finds the orders that may need waking when no server holds them: unpaid
/// orders past their payment window (the read side, which an order's first projection fills), and
/// order grain states written since the sweeper's mark (the grain storage table: an order whose
/// server died between its state write and its projection has no orders row, only its state row).
/// Only the storage row's identity and write time are read, never its payload: the order grain
/// itself decides, from its own state, whether anything is due.
/// </summary>
public sealed class DueOrderQuery(NpgsqlDataSource dataSource)
{
    /// <param name="serviceId">The cluster's service id: several services may share one database.</param>
    /// <param name="writtenSince">The sweeper's mark: state rows written at or after it are returned.</param>
    /// <param name="settle">
    /// Rows written in the last <paramref name="settle"/> are left for the next sweep: a row's write
    /// time is its transaction's start, so a write still committing now may carry an earlier time.
    /// </param>
    public async Task<DueOrders> FindAsync(string serviceId, DateTimeOffset writtenSince, TimeSpan settle, int limit, CancellationToken cancellationToken = default)
    {
        const string sql = """
            select now() - make_interval(secs => @SettleSeconds);
            select grainidextensionstring as order_number, modifiedon as written_at
            from orleansstorage
            where serviceid = @ServiceId and graintypestring = 'order' and payloadbinary is not null
              and modifiedon >= @WrittenSince and modifiedon < now() - make_interval(secs => @SettleSeconds)
            order by modifiedon
            limit @Limit;
            select order_number
            from orders
            where status = 'awaiting_payment' and payment_due_at <= now()
            order by payment_due_at
            limit @Limit;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { ServiceId = serviceId, WrittenSince = writtenSince, SettleSeconds = settle.TotalSeconds, Limit = limit },
            cancellationToken: cancellationToken));
        var writtenUntil = await results.ReadSingleAsync<DateTimeOffset>();
        var written = (await results.ReadAsync<WrittenOrder>()).ToList();
        var pastDue = (await results.ReadAsync<string>()).ToList();
        return new DueOrders(writtenUntil, written, pastDue);
    }
}

/// <param name="WrittenUntil">Where the next sweep's mark goes when every written order was woken and fewer than the limit came.</param>
/// <param name="Written">Order states written since the mark, oldest first.</param>
/// <param name="PastDue">Unpaid orders past their payment window, as projected.</param>
public sealed record DueOrders(DateTimeOffset WrittenUntil, IReadOnlyList<WrittenOrder> Written, IReadOnlyList<string> PastDue);

public sealed class WrittenOrder
{
    public string OrderNumber { get; init; } = "";
    public DateTimeOffset WrittenAt { get; init; }
}
