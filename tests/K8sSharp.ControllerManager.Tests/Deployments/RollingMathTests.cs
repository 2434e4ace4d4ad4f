using k8s.Models;
using K8sSharp.ControllerManager.Deployments;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>Fencepost cases from upstream deployment_util_test.go TestResolveFenceposts; the rest worked out by hand from the upstream rules.</summary>
public sealed class RollingMathTests
{
    [Theory]
    [InlineData("0%", "0%", 0, 0, 1)]
    [InlineData("39%", "39%", 10, 4, 3)]
    [InlineData(null, "39%", 10, 0, 3)]
    [InlineData("39%", null, 10, 4, 0)]
    [InlineData(null, null, 10, 0, 1)]
    [InlineData("25%", "25%", 3, 1, 0)]
    [InlineData("25%", "25%", 5, 2, 1)]
    [InlineData("2", "0", 10, 2, 0)]
    [InlineData("0", "0", 10, 0, 1)]
    [InlineData("100%", "0%", 7, 7, 0)]
    public void Fenceposts_round_surge_up_and_unavailability_down_and_never_both_zero(
        string? maxSurge, string? maxUnavailable, int desired, int surge, int unavailable)
    {
        RollingMath.ResolveFenceposts(maxSurge, maxUnavailable, desired).Should().Be((surge, unavailable));
    }

    [Theory]
    [InlineData("oops", "39%")]
    [InlineData("55%", "urg")]
    [InlineData("5.5%", "1")]
    public void Fenceposts_reject_values_that_are_neither_ints_nor_percentages(string maxSurge, string maxUnavailable)
    {
        var resolve = () => RollingMath.ResolveFenceposts(maxSurge, maxUnavailable, 10);

        resolve.Should().Throw<FormatException>();
    }

    [Fact]
    public void Max_unavailable_is_capped_at_the_replica_count_and_zero_for_recreate_or_no_replicas()
    {
        RollingMath.MaxUnavailable(Deployments.New(3, maxSurge: "0", maxUnavailable: "5")).Should().Be(3);
        RollingMath.MaxUnavailable(Deployments.New(0, maxSurge: "1", maxUnavailable: "1")).Should().Be(0);
        var recreate = Deployments.New(3);
        recreate.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        RollingMath.MaxUnavailable(recreate).Should().Be(0);
        RollingMath.MaxSurge(recreate).Should().Be(0);
    }

    [Fact]
    public void An_absent_rolling_update_block_means_the_api_defaults_of_25_percent()
    {
        var d = Deployments.New(8);
        d.Spec.Strategy = null;

        (RollingMath.MaxSurge(d), RollingMath.MaxUnavailable(d)).Should().Be((2, 2));
    }

    // (strategy, replicas, maxSurge, old RS size, new RS size) -> new RS size (upstream NewRSNewReplicas).
    [Theory]
    [InlineData("RollingUpdate", 1, "0", 1, 0, 0)]
    [InlineData("RollingUpdate", 10, "1", 5, 0, 6)]
    [InlineData("RollingUpdate", 10, "1", 10, 1, 1)]
    [InlineData("RollingUpdate", 10, "3", 5, 2, 8)]
    [InlineData("RollingUpdate", 10, "3", 0, 9, 10)]
    [InlineData("Recreate", 10, "1", 5, 0, 10)]
    public void A_new_replica_set_grows_within_replicas_plus_max_surge(string strategy, int replicas, string maxSurge, int oldSize, int newSize, int expected)
    {
        var d = Deployments.New(replicas, maxSurge: maxSurge, maxUnavailable: "1");
        if (strategy == "Recreate")
        {
            d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        }
        var oldRS = Deployments.Rs("foo-v1", oldSize, Deployments.T0.AddHours(-1));
        var newRS = Deployments.Rs("foo-v2", newSize, Deployments.T0);

        RollingMath.NewReplicaSetReplicas(d, [oldRS, newRS], newRS).Should().Be(expected);
    }
}
