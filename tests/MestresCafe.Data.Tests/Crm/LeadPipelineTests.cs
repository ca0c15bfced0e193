using MestresCafe.Crm;

namespace MestresCafe.Data.Tests.Crm;

/// <summary>Every pair of lead statuses: legal exactly when the flow allows it.</summary>
public sealed class LeadPipelineTests
{
    private static readonly HashSet<(string From, string To)> Legal =
    [
        ("new", "contacted"), ("contacted", "qualified"), ("qualified", "proposal"), ("proposal", "won"),
        ("new", "lost"), ("contacted", "lost"), ("qualified", "lost"), ("proposal", "lost"),
    ];

    [Fact]
    public void Every_move_is_allowed_exactly_when_the_flow_has_it()
    {
        foreach (var from in LeadPipeline.Statuses)
        {
            foreach (var to in LeadPipeline.Statuses)
            {
                Assert.True(Legal.Contains((from, to)) == (LeadPipeline.CheckMove(from, to) is null), $"{from} -> {to}");
            }
        }
    }

    [Fact]
    public void A_refused_move_says_where_the_lead_can_go()
    {
        Assert.Equal("From new a lead moves to contacted or lost.", LeadPipeline.CheckMove("new", "won"));
        Assert.Equal("The lead is won: a closed lead does not move.", LeadPipeline.CheckMove("won", "lost"));
    }
}
