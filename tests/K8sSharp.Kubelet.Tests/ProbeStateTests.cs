using k8s.Models;
using K8sSharp.Kubelet.Probes;

namespace K8sSharp.Kubelet.Tests;

public sealed class ProbeStateTests
{
    [Fact]
    public void Defaults_are_the_APIs()
    {
        var state = new ProbeState(new V1Probe(), ProbeKind.Readiness);

        (state.Period, state.Timeout, state.InitialDelay, state.SuccessThreshold, state.FailureThreshold)
            .Should().Be((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.Zero, 1, 3));
    }

    [Theory]
    [InlineData("Liveness", true)]
    [InlineData("Readiness", false)]
    [InlineData("Startup", false)]
    public void Before_any_result_liveness_passes_and_readiness_and_startup_do_not(string kind, bool success)
    {
        var state = new ProbeState(new V1Probe(), Enum.Parse<ProbeKind>(kind));

        state.Success.Should().Be(success);
        state.Failed.Should().BeFalse();
    }

    [Fact]
    public void Liveness_fails_only_after_failureThreshold_consecutive_failures()
    {
        var state = new ProbeState(new V1Probe { FailureThreshold = 3 }, ProbeKind.Liveness);

        state.Record(false).Should().BeFalse();
        state.Record(false).Should().BeFalse();
        state.Record(true).Should().BeFalse("a success breaks the run");
        state.Record(false).Should().BeFalse();
        state.Record(false).Should().BeFalse();
        state.Failed.Should().BeFalse();
        state.Record(false).Should().BeTrue();
        state.Failed.Should().BeTrue();
        state.Success.Should().BeFalse();
    }

    [Fact]
    public void Readiness_needs_successThreshold_consecutive_successes_and_drops_after_failures()
    {
        var state = new ProbeState(new V1Probe { SuccessThreshold = 2, FailureThreshold = 1 }, ProbeKind.Readiness);

        state.Record(true).Should().BeFalse();
        state.Success.Should().BeFalse();
        state.Record(true).Should().BeTrue();
        state.Success.Should().BeTrue();
        state.Record(false).Should().BeTrue();
        state.Success.Should().BeFalse();
    }
}
