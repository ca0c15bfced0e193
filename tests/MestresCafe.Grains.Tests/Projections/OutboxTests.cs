using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Tests.Projections;

/// <summary>How a grain's outbox is built from its projection (<see cref="Outbox.For{TKey, TState, TEvent}(IProjection{TKey, TState, TEvent}, TKey, Func{TState}, Func{bool}, Func{List{TEvent}}, Func{IReadOnlyList{TEvent}, Task}?)"/>).</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task A_run_applies_the_projection_with_the_key_and_the_state_as_it_is_when_the_run_starts()
    {
        var projection = new RecordingProjection();
        var state = new TestState { Version = 1 };
        var outbox = Outbox.For(projection, "key-1", () => state, () => true, () => state.Outbox);
        state = new TestState { Version = 2 };

        await outbox.ApplyAsync([new TestEvent(Guid.NewGuid())], CancellationToken.None);

        Assert.Equal(["key-1@2:1"], projection.Calls);
    }

    [Fact]
    public async Task The_follow_up_runs_after_the_projection_committed_and_not_when_it_failed()
    {
        var projection = new RecordingProjection();
        var state = new TestState();
        var followed = new List<string>();
        var outbox = Outbox.For(projection, "k", () => state, () => true, () => state.Outbox, events =>
        {
            followed.Add($"after {projection.Calls.Count}");
            return Task.CompletedTask;
        });

        await outbox.ApplyAsync([new TestEvent(Guid.NewGuid())], CancellationToken.None);
        projection.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => outbox.ApplyAsync([new TestEvent(Guid.NewGuid())], CancellationToken.None));

        Assert.Equal(["after 1"], followed);
    }

    [Fact]
    public void A_list_outbox_is_pending_only_once_the_state_exists_and_an_applied_run_leaves_from_its_head()
    {
        var state = new TestState();
        var exists = false;
        var (first, second, third) = (new TestEvent(Guid.NewGuid()), new TestEvent(Guid.NewGuid()), new TestEvent(Guid.NewGuid()));
        state.Outbox.AddRange([first, second, third]);
        var outbox = Outbox.For(new RecordingProjection(), "k", () => state, () => exists, () => state.Outbox);

        Assert.Empty(outbox.Pending());
        exists = true;
        outbox.Remove([first, second]);

        Assert.Equal([third], outbox.Pending());
    }

    private sealed record TestEvent(Guid EventId) : IOutboxEvent;

    private sealed class TestState
    {
        public long Version { get; init; }

        public List<TestEvent> Outbox { get; } = [];
    }

    private sealed class RecordingProjection : IProjection<string, TestState, TestEvent>
    {
        public List<string> Calls { get; } = [];

        public bool Fail { get; set; }

        public Task ApplyAsync(string key, TestState state, IReadOnlyList<TestEvent> events, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("refused");
            }

            Calls.Add($"{key}@{state.Version}:{events.Count}");
            return Task.CompletedTask;
        }
    }
}
