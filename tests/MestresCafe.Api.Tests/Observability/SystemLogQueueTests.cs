using MestresCafe.Data.Observability;
using MestresCafe.Server.Observability;

namespace MestresCafe.Api.Tests.Observability;

public sealed class SystemLogQueueTests
{
    [Fact]
    public void A_full_queue_drops_new_entries_and_counts_them_without_waiting()
    {
        var queue = new SystemLogQueue(capacity: 10);

        for (var i = 0; i < 15; i++)
        {
            queue.Enqueue(Entry(i));
        }

        var kept = new List<SystemLogEntry>();
        while (queue.Reader.TryRead(out var entry))
        {
            kept.Add(entry);
        }

        Assert.Equal(5, queue.DroppedCount);
        // The oldest are kept: the first errors of a storm say most about its cause.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), kept.Select(e => e.Message));
    }

    [Fact]
    public void The_read_side_is_degraded_by_dead_letters_default_partition_rows_or_mail_stuck_for_ten_minutes()
    {
        Assert.Empty(SystemHealthRecorder.ReadSideProblems(new OperationsFigures { MailQueued = 40, MailOldestDueSeconds = 599 }));
        Assert.Equal(3, SystemHealthRecorder.ReadSideProblems(new OperationsFigures { DeadLetters = 1, DefaultPartitionRows = 2, MailOldestDueSeconds = 601 }).Count);
    }

    private static SystemLogEntry Entry(int i) => new("warning", $"m{i}", "Test", null, "{}", null, DateTimeOffset.UtcNow);
}
