using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Tests;

public sealed class FitErrorTests
{
    [Fact]
    public void Message_is_a_sorted_histogram_of_node_reasons_then_the_preemption_outcome()
    {
        var rejected = new Dictionary<string, Status>
        {
            ["n1"] = Status.Unresolvable("TaintToleration", "node(s) had untolerated taint {dedicated: infra}"),
            ["n2"] = Status.Unschedulable("NodeResourcesFit", "Insufficient cpu"),
            ["n3"] = Status.Unschedulable("NodeResourcesFit", "Insufficient cpu", "Insufficient memory"),
        };
        var fit = new FitError(3, rejected, null)
        {
            PostFilterMessage = "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
        };

        fit.Message.Should().Be("0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. "
            + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
        fit.RejectingPlugins.Should().BeEquivalentTo("TaintToleration", "NodeResourcesFit");
    }

    [Fact]
    public void A_prefilter_rejection_replaces_the_per_node_histogram()
    {
        var fit = new FitError(2, new Dictionary<string, Status>(), Status.Unresolvable("VolumeBinding", "pod has unbound immediate PersistentVolumeClaims"));

        fit.Message.Should().Be("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
        fit.RejectingPlugins.Should().BeEquivalentTo("VolumeBinding");
    }
}
