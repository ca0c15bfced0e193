namespace MestresCafe.Data.Reporting;

/// <summary>
/// Fragments every report shares, so that "revenue" and "in the range" mean one thing everywhere
/// (docs/REPORTS.md states the definitions).
/// </summary>
internal static class ReportSql
{
    /// <summary>
    /// Orders that count as sales: the payment was captured and not wholly given back. Pending,
    /// awaiting payment, cancelled and (fully) refunded orders are not revenue.
    /// </summary>
    public const string RevenueStatuses = "('paid', 'processing', 'shipped', 'delivered', 'partially_refunded')";

    /// <summary>
    /// Succeeded refunds per order (kept by the payment_refunds trigger), joined as <c>rf</c>;
    /// net revenue = total_amount - rf.amount.
    /// </summary>
    public const string RefundsJoin = "left join report_order_refunds rf on rf.order_id = o.id";

    public const string NetRevenue = "(o.total_amount - coalesce(rf.amount, 0))";

    /// <summary>
    /// [from, to) with the wall times of $1 and $2 read in time zone $3. The bounds are constants for
    /// the executor, so a plain index on <paramref name="column"/> serves the range.
    /// </summary>
    public static string InRange(string column) =>
        $"{column} >= ($1::timestamp at time zone $3) and {column} < ($2::timestamp at time zone $3)";

    /// <summary>[from, to) as business days of the rollups (used only for whole-day ranges in the business zone).</summary>
    public const string InDays = "d.day >= $1::date and d.day < $2::date";

    /// <summary>The wall-clock bucket (day, week from Monday, month) of an instant, in the report's time zone.</summary>
    public static string Bucket(string column) => $"date_trunc($4, {column} at time zone $3)";
}
