using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Tests;

/// <summary>Upstream's percentageOfNodesToScore: how many feasible nodes end the search, and where the search runs.</summary>
public sealed class NodesToScoreTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(99, 0, 99)]
    [InlineData(100, 0, 100)]
    [InlineData(1000, 0, 420)]
    [InlineData(5000, 0, 500)]
    [InlineData(6000, 0, 300)]
    [InlineData(1000, 30, 300)]
    [InlineData(1000, 5, 100)]
    public void Feasible_nodes_to_find_follow_the_adaptive_percentage(int allNodes, int percentage, int expected) =>
        NodesToScore.FeasibleToFind(allNodes, percentage).Should().Be(expected);

    [Fact]
    public void The_search_starts_at_the_given_node_wraps_around_and_stops_when_enough_are_feasible()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => Build.NodeInfo(Build.Node($"n{i}", cpu: i == 0 ? "1" : "4"))).ToList();
        var pod = Build.Pod("p", cpu: "2");
        var profile = new Profile(new NoVolumes(), _ => null);

        var result = profile.FindFeasible(Build.State(pod, [.. nodes]), nodes, startIndex: 4, enough: 2);

        result.Feasible.Select(n => n.Name).Should().Equal("n4", "n1");
        result.Rejected.Keys.Should().Equal("n0");
        result.Processed.Should().Be(3);
    }
}
