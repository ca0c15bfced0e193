using Npgsql;

namespace MestresCafe.LoadTest.Cost;

/// <summary>
/// Measures what a run costs the run's own database and the processes behind it:
/// <list type="bullet">
/// <item>transactions and rows written: <c>pg_stat_database</c> of the run's database, read from
/// another database so that the probe adds nothing to them. PostgreSQL 15 backends flush their
/// counters at most once a second while busy and within 10 s (PGSTAT_IDLE_INTERVAL) once idle, and
/// <c>pg_stat_force_next_flush()</c> only flushes the calling backend's own, so the closing snapshot
/// waits out a settle period after the traffic (11 s by default) and clears the reading backend's
/// snapshot cache first; with it the counts are exact, and they include whatever the servers did in
/// the window besides the traffic (cluster membership, reminders, trailing projections).</item>
/// <item>grain state writes: the sum of versions in the Orleans storage table (each write adds one).</item>
/// <item>server CPU: every process this harness started (the servers), from /proc.</item>
/// <item>PostgreSQL CPU: the backends of the run's database, found by their process title under the
/// postmaster and sampled every 250 ms (a backend's CPU after its last sample before exiting is lost);
/// beside it the whole PostgreSQL server's tree (other databases and background writers included,
/// so an upper bound on a shared server).</item>
/// </list>
/// Bytes sent to PostgreSQL are not measured: PostgreSQL keeps no per-database byte counter and the
/// backends read their sockets with recv(), which /proc/&lt;pid&gt;/io does not count.
/// </summary>
public sealed class CostProbe : IAsyncDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private readonly string _database;
    private readonly string _runDatabase;
    private readonly string _adminDatabase;
    private readonly int? _postmaster;
    private readonly BackendCpuTracker _backends = new();
    private readonly CancellationTokenSource _stop = new();
    private CostSnapshot _idle = null!;
    private CostSnapshot _before = null!;
    private bool _statementsAvailable;
    private IReadOnlyDictionary<(long, bool), StatementCount> _statementsBefore = new Dictionary<(long, bool), StatementCount>();
    private IReadOnlyDictionary<(long, bool), StatementCount> _statementsIdle = new Dictionary<(long, bool), StatementCount>();
    private Task _sampler = Task.CompletedTask;

    private CostProbe(string runDatabase, string adminDatabase, string database, int? postmaster)
    {
        _runDatabase = runDatabase;
        _adminDatabase = adminDatabase;
        _database = database;
        _postmaster = postmaster;
    }

    /// <summary>Starts measuring; with <paramref name="idle"/> it first measures the servers' background cost for that long.</summary>
    public static async Task<CostProbe> StartAsync(string postgres, TimeSpan idle)
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres);
        var database = builder.Database ?? throw new ArgumentException("the connection string names no database");
        var admin = new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres", Pooling = false }.ConnectionString;
        // The harness's own pooled connections (seeding) would flush their counters into the run's
        // window up to 10 s later; closing them flushes now.
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(200);
        var postmaster = await FindPostmasterAsync(admin);
        var probe = new CostProbe(postgres, admin, database, postmaster);
        probe._statementsAvailable = await StatementCounts.AvailableAsync(admin);
        probe._idle = await probe.SnapshotAsync(); // its backend sample is the CPU baseline
        probe._statementsIdle = await probe.ReadStatementsAsync();
        probe._sampler = probe.SampleUntilStoppedAsync();
        await Task.Delay(idle);
        probe._before = await probe.SnapshotAsync();
        probe._statementsBefore = await probe.ReadStatementsAsync();
        return probe;
    }

    /// <summary>Waits out the settle period, takes the closing snapshot and spreads the cost over the units completed.</summary>
    public async Task<CostSummary> FinishAsync(string unit, long units, TimeSpan settle, TextWriter? progress)
    {
        progress?.WriteLine($"settling {settle.TotalSeconds:0} s for PostgreSQL's statistics and trailing work");
        await Task.Delay(settle);
        var after = await SnapshotAsync();
        var statements = StatementCounts.Between(_statementsBefore, await ReadStatementsAsync());
        await _stop.CancelAsync();
        await _sampler;
        var summary = _idle.At < _before.At ? CostModel.Between(_idle, _before, after, unit, units) : CostModel.Between(_before, after, unit, units);
        if (statements.Count == 0)
        {
            return summary;
        }

        var idleSeconds = (_before.At - _idle.At).TotalSeconds;
        var idleExplicitPerSecond = idleSeconds > 0
            ? StatementCounts.ExplicitTransactions(StatementCounts.Between(_statementsIdle, _statementsBefore)) / idleSeconds
            : 0;
        var explicitOnes = StatementCounts.ExplicitTransactions(statements) - idleExplicitPerSecond * (after.At - _before.At).TotalSeconds;
        return summary with
        {
            Statements = StatementCounts.Describe(statements, unit, units, top: 40),
            ExplicitPerUnit = units > 0 ? Math.Max(0, explicitOnes) / units : null,
        };
    }

    private async Task<IReadOnlyDictionary<(long, bool), StatementCount>> ReadStatementsAsync()
    {
        if (!_statementsAvailable)
        {
            return new Dictionary<(long, bool), StatementCount>();
        }

        await using var admin = new NpgsqlConnection(_adminDatabase);
        await admin.OpenAsync();
        return await StatementCounts.ReadAsync(admin, _database);
    }

    private async Task<CostSnapshot> SnapshotAsync()
    {
        long grainWrites;
        await using (var run = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_runDatabase) { Pooling = false }.ConnectionString))
        {
            await run.OpenAsync();
            await using var versions = new NpgsqlCommand("select coalesce(sum(version), 0)::bigint from orleansstorage", run);
            grainWrites = (long)(await versions.ExecuteScalarAsync())!;
        }

        await using var admin = new NpgsqlConnection(_adminDatabase);
        await admin.OpenAsync();
        await using (var clear = new NpgsqlCommand("select pg_stat_clear_snapshot()", admin))
        {
            await clear.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(
            "select xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted from pg_stat_database where datname = $1", admin);
        command.Parameters.Add(new() { Value = _database });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        SampleBackends();
        var all = ProcStat.Available ? ProcStat.All().ToList() : [];
        var servers = ProcStat.Descendants(all, Environment.ProcessId).Sum(p => p.UserSystemMs + p.ReapedChildrenMs);
        var postgres = _postmaster is { } pm && all.FirstOrDefault(p => p.Pid == pm) is { } postmaster
            ? postmaster.UserSystemMs + postmaster.ReapedChildrenMs + ProcStat.Descendants(all, pm).Sum(p => p.UserSystemMs)
            : 0;
        return new CostSnapshot(
            DateTimeOffset.UtcNow,
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            grainWrites, servers, _backends.TotalMs, postgres)
        {
            LoadGeneratorCpuMs = all.FirstOrDefault(p => p.Pid == Environment.ProcessId)?.UserSystemMs ?? 0,
        };
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(SampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                SampleBackends();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SampleBackends()
    {
        if (_postmaster is not { } postmaster)
        {
            return;
        }

        var title = $" {_database} ";
        _backends.Observe(ProcStat.Descendants([.. ProcStat.All()], postmaster)
            .Where(p => ProcStat.CommandLine(p.Pid).Contains(title, StringComparison.Ordinal))
            .Select(p => (p.Pid, p.StartTime, p.UserSystemMs)));
    }

    /// <summary>The parent of this connection's backend, when PostgreSQL runs on this machine; else null.</summary>
    private static async Task<int?> FindPostmasterAsync(string admin)
    {
        if (!ProcStat.Available)
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return ProcStat.Read(backend) is { } stat && ProcStat.CommandLine(backend).StartsWith("postgres", StringComparison.Ordinal) ? stat.ParentPid : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}
