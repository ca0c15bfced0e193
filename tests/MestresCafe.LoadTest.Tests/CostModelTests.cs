using MestresCafe.LoadTest.Cost;
using Xunit;

namespace MestresCafe.LoadTest.Tests;

/// <summary>The cost model's arithmetic from snapshots and samples: no cluster, no PostgreSQL.</summary>
public sealed class CostModelTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Cost_per_unit_is_the_difference_of_two_snapshots_over_the_units_completed()
    {
        var before = new CostSnapshot(Start, 1_000, 10, 500, 300, 20, 40, 2_000, 100, 5_000) { LoadGeneratorCpuMs = 100 };
        var after = new CostSnapshot(Start.AddSeconds(31), 3_000, 30, 1_500, 1_100, 220, 440, 6_000, 2_100, 9_000) { LoadGeneratorCpuMs = 700 };

        var cost = CostModel.Between(before, after, "checkout", 200);

        Assert.Equal(31, cost.WindowSeconds);
        Assert.Equal(new CostFigures(2_020, 20, 2_000, 400, 4_000, 2_000, 4_000), cost.Total);
        Assert.Equal(new CostFigures(10.1, 0.1, 10, 2, 20, 10, 20), cost.PerUnit);
        Assert.Contains("10.10 pg transactions", cost.ToLine(), StringComparison.Ordinal);
        Assert.Equal(3, cost.LoadGeneratorCpuMsPerUnit);
        Assert.Contains("load generator (this process): 3.00 ms CPU per checkout", cost.ToLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_idle_servers_background_is_taken_off_the_whole_window_before_spreading()
    {
        // 5 s idle: 50 transactions and 100 ms of server CPU, i.e. 10/s and 20 ms/s.
        var idle = new CostSnapshot(Start, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var before = idle with { At = Start.AddSeconds(5), XactCommit = 50, ServerCpuMs = 100 };
        // 30 s of traffic: 1,300 transactions, 2,600 ms; the background's share is 300 and 600.
        var after = before with { At = Start.AddSeconds(35), XactCommit = 1_350, ServerCpuMs = 2_700 };

        var cost = CostModel.Between(idle, before, after, "checkout", 100);

        Assert.Equal(13, cost.PerUnit!.Transactions);
        Assert.Equal(new CostFigures(10, 0, 0, 0, 20, 0, 0), cost.BackgroundPerSecond);
        Assert.Equal(10, cost.NetPerUnit!.Transactions, precision: 9);
        Assert.Equal(20, cost.NetPerUnit.ServerCpuMs, precision: 9);
    }

    [Fact]
    public void The_request_path_bound_is_the_net_transactions_less_the_explicit_ones()
    {
        StatementCount Count(string query, long calls, bool topLevel = true) => new(query.GetHashCode(), topLevel, query, calls, 0);
        var statements = new[]
        {
            Count("BEGIN", 120), Count("COMMIT", 120), Count("begin isolation level repeatable read", 5),
            Count("select $1 from orders where id = $2", 300), Count("BEGIN", 7, topLevel: false),
        };
        Assert.Equal(125, StatementCounts.ExplicitTransactions(statements));

        var idle = new CostSnapshot(Start, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var before = idle with { At = Start.AddSeconds(5), XactCommit = 50 };
        var after = before with { At = Start.AddSeconds(35), XactCommit = 1_350 };
        var cost = CostModel.Between(idle, before, after, "checkout", 100) with { ExplicitPerUnit = 2.5 };

        Assert.Equal(7.5, cost.RequestPathAtMost!.Value, precision: 9);
        Assert.Contains("on the request path at most 7.50 pg transactions", cost.ToLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_completed_nothing_has_a_total_but_no_cost_per_unit()
    {
        var snapshot = new CostSnapshot(Start, 1, 0, 0, 0, 0, 0, 0, 0, 0);

        var cost = CostModel.Between(snapshot, snapshot with { XactCommit = 5 }, "reservation", 0);

        Assert.Null(cost.PerUnit);
        Assert.Equal(4, cost.Total.Transactions);
    }

    [Fact]
    public void Backends_present_at_the_start_count_from_it_and_later_ones_from_zero()
    {
        var tracker = new BackendCpuTracker();
        tracker.Observe([(101, 7, 1_000.0), (102, 8, 50.0)]);
        // 101 works on, 102 exits unseen again, 103 is born and 101's pid is reused by a new backend.
        tracker.Observe([(101, 7, 1_300.0), (103, 9, 40.0)]);
        tracker.Observe([(103, 9, 90.0), (101, 12, 30.0)]);

        Assert.Equal(300 + 0 + 90 + 30, tracker.TotalMs);
        Assert.Equal(4, tracker.ProcessesSeen);
    }

    [Fact]
    public void Proc_stat_fields_are_read_after_the_command_name_even_with_spaces_in_it()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime prio nice threads itreal starttime
        const string stat = "4242 (postgres: a (b)) S 18708 18708 18708 0 -1 4194560 10 0 0 0 123 45 6 7 20 0 1 0 98765 0 0";

        var parsed = ProcStat.Parse(4242, stat);

        Assert.Equal(new ProcStat(4242, 18708, 98765, 1_680, 130), parsed);
    }
}
