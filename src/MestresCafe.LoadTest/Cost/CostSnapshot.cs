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
    double PostgresServerCpuMs);

/// <summary>What a run cost, in total and per completed unit (checkout, reservation, request).</summary>
public sealed record CostSummary(string Unit, long Units, double WindowSeconds, CostFigures Total, CostFigures? PerUnit)
{
    public string ToLine() => PerUnit is not { } per
        ? $"cost: no {Unit} completed"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"cost per {Unit} ({Units} in a {WindowSeconds:0.0} s window): {per.Transactions:0.00} pg transactions ({per.Rollbacks:0.00} rolled back), " +
            $"{per.RowsWritten:0.00} rows written, {per.GrainStateWrites:0.00} grain state writes, {per.ServerCpuMs:0.00} ms server CPU, " +
            $"{per.PostgresBackendCpuMs:0.00} ms PostgreSQL CPU (run's backends; {per.PostgresServerCpuMs:0.00} ms whole PostgreSQL server)");
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
    public CostFigures Per(long units) => new(
        Transactions / units, Rollbacks / units, RowsWritten / units, GrainStateWrites / units,
        ServerCpuMs / units, PostgresBackendCpuMs / units, PostgresServerCpuMs / units);
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
        return new CostSummary(unit, units, Math.Round((after.At - before.At).TotalSeconds, 2), total, units > 0 ? total.Per(units) : null);
    }
}
