namespace MestresCafe.LoadTest.Cost;

/// <summary>
/// Cumulative counters of the run's database and processes at one moment; a cost is the
/// difference of two of them (<see cref="CostModel.Between"/>). CPU times are in milliseconds.
/// </summary>
public sealed record CostSnapshot(
    DateTimeOffset At,
    long XactCommit,
    long XactRollback,
    long TupInserted,
    long TupUpdated,
    long TupDeleted,
    long GrainStateWrites,
    double ServerCpuMs,
    double PostgresBackendCpuMs,
    double PostgresServerCpuMs)
{
    /// <summary>This harness's own CPU (the load generator's workers and the probe), beside the servers'.</summary>
    public double LoadGeneratorCpuMs { get; init; }
}

/// <summary>
/// What a run cost, in total and per completed unit (checkout, reservation, request). Background is
/// what the idle servers cost a second before the traffic (cluster membership, reminder polling);
/// the net cost per unit takes the background of the whole window off the total first.
/// </summary>
public sealed record CostSummary(string Unit, long Units, double WindowSeconds, CostFigures Total, CostFigures? PerUnit)
{
    public CostFigures? BackgroundPerSecond { get; init; }
    public CostFigures? NetPerUnit { get; init; }
    /// <summary>The statements run per unit, most called first (when pg_stat_statements is loaded).</summary>
    public string? Statements { get; init; }
    /// <summary>Explicit transactions (BEGIN ... COMMIT) per unit above the idle background's (when pg_stat_statements is loaded).</summary>
    public double? ExplicitPerUnit { get; init; }

    /// <summary>
    /// The transactions a unit's requests can have waited for, at most: the net transactions less
    /// the explicit ones, which on the buying path are the projections' (run after the answer).
    /// What is left are single statements and batches: the requests' reads and writes, the grain
    /// state write batches (which off-path grain writes share) and pollers busier than when idle.
    /// </summary>
    /// <summary>The load generator's CPU per unit: on one machine it shares the cores with the servers and PostgreSQL.</summary>
    public double? LoadGeneratorCpuMsPerUnit { get; init; }

    public double? RequestPathAtMost => NetPerUnit is { } net && ExplicitPerUnit is { } explicitOnes ? net.Transactions - explicitOnes : null;

    public string ToLine() => PerUnit is not { } per
        ? $"cost: no {Unit} completed"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cost per {Unit} ({Units} in a {WindowSeconds:0.0} s window): {Describe(per)}")
            + (NetPerUnit is { } net && BackgroundPerSecond is { } background
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Environment.NewLine}  net of the idle background ({background.Transactions:0.0} transactions/s, {background.ServerCpuMs:0} ms server CPU/s): {Describe(net)}")
                : "")
            + (LoadGeneratorCpuMsPerUnit is { } generator
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Environment.NewLine}  load generator (this process): {generator:0.00} ms CPU per {Unit}")
                : "")
            + (RequestPathAtMost is { } path
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Environment.NewLine}  on the request path at most {path:0.00} pg transactions: net less {ExplicitPerUnit:0.00} explicit (BEGIN ... COMMIT: projections)")
                : "")
            + (Statements is { } statements ? Environment.NewLine + statements : "");

    private static string Describe(CostFigures f) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{f.Transactions:0.00} pg transactions ({f.Rollbacks:0.00} rolled back), {f.RowsWritten:0.00} rows written, " +
        $"{f.GrainStateWrites:0.00} grain state writes, {f.ServerCpuMs:0.00} ms server CPU, " +
        $"{f.PostgresBackendCpuMs:0.00} ms PostgreSQL CPU (run's backends; {f.PostgresServerCpuMs:0.00} ms whole PostgreSQL server)");
}

/// <summary>
/// One set of cost figures. Transactions count commits and rollbacks; rows written are inserted,
/// updated and deleted tuples (index entries not included); grain state writes are versions added to
/// the Orleans storage table.
/// </summary>
public sealed record CostFigures(
    double Transactions,
    double Rollbacks,
    double RowsWritten,
    double GrainStateWrites,
    double ServerCpuMs,
    double PostgresBackendCpuMs,
    double PostgresServerCpuMs)
{
    public CostFigures Per(double units) => new(
        Transactions / units, Rollbacks / units, RowsWritten / units, GrainStateWrites / units,
        ServerCpuMs / units, PostgresBackendCpuMs / units, PostgresServerCpuMs / units);

    public CostFigures Minus(CostFigures other) => new(
        Transactions - other.Transactions, Rollbacks - other.Rollbacks, RowsWritten - other.RowsWritten, GrainStateWrites - other.GrainStateWrites,
        ServerCpuMs - other.ServerCpuMs, PostgresBackendCpuMs - other.PostgresBackendCpuMs, PostgresServerCpuMs - other.PostgresServerCpuMs);
}

public static class CostModel
{
    /// <summary>The cost of what happened between two snapshots, spread over the units completed.</summary>
    public static CostSummary Between(CostSnapshot before, CostSnapshot after, string unit, long units)
    {
        var total = new CostFigures(
            (after.XactCommit + after.XactRollback) - (before.XactCommit + before.XactRollback),
            after.XactRollback - before.XactRollback,
            (after.TupInserted + after.TupUpdated + after.TupDeleted) - (before.TupInserted + before.TupUpdated + before.TupDeleted),
            after.GrainStateWrites - before.GrainStateWrites,
            after.ServerCpuMs - before.ServerCpuMs,
            after.PostgresBackendCpuMs - before.PostgresBackendCpuMs,
            after.PostgresServerCpuMs - before.PostgresServerCpuMs);
        return new CostSummary(unit, units, Math.Round((after.At - before.At).TotalSeconds, 2), total, units > 0 ? total.Per(units) : null)
        {
            LoadGeneratorCpuMsPerUnit = units > 0 && after.LoadGeneratorCpuMs > 0 ? (after.LoadGeneratorCpuMs - before.LoadGeneratorCpuMs) / units : null,
        };
    }

    /// <summary>
    /// <see cref="Between"/> the traffic's snapshots, with the background rate measured from
    /// <paramref name="idle"/> (servers up, no traffic) to <paramref name="before"/> taken off.
    /// </summary>
    public static CostSummary Between(CostSnapshot idle, CostSnapshot before, CostSnapshot after, string unit, long units)
    {
        var cost = Between(before, after, unit, units);
        var background = Between(idle, before, unit, 0).Total.Per((before.At - idle.At).TotalSeconds);
        var net = cost.Total.Minus(background.Per(1 / (after.At - before.At).TotalSeconds));
        return cost with { BackgroundPerSecond = background, NetPerUnit = units > 0 ? net.Per(units) : null };
    }
}
