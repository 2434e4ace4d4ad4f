using K8sSharp.ControllerManager.Deployments;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>The cases of upstream sync_test.go TestScale: what a change of spec.replicas does to each ReplicaSet.</summary>
public sealed class ProportionalScalingTests
{
    /// <summary>
    /// One case: the deployment now (replicas, maxSurge), the deployment the ReplicaSets were last sized for (whose
    /// replicas and surge are in their desired/max-replicas annotations), the new RS ("name:size", or null) and the
    /// old ones newest first, and the sizes expected afterwards in the same order.
    /// </summary>
    public sealed record Case(string Name, int Replicas, string Surge, int OldReplicas, string OldSurge, string? NewRS, string[] OldRSs, int[] Expected,
        string? DesiredOverride = null, int NewAvailable = 0, string Unavailable = "0")
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() =>
    [
        new("normal scaling event: 10 -> 12", 12, "0", 10, "0", "foo-v1:10", [], [12]),
        new("normal scaling event: 10 -> 5", 5, "0", 10, "0", "foo-v1:10", [], [5]),
        new("proportional scaling: 5 -> 10", 10, "0", 5, "0", "foo-v2:2", ["foo-v1:3"], [4, 6]),
        new("proportional scaling: 5 -> 3", 3, "0", 5, "0", "foo-v2:2", ["foo-v1:3"], [1, 2]),
        new("proportional scaling: 9 -> 4", 4, "0", 9, "0", "foo-v2:8", ["foo-v1:1"], [4, 0]),
        new("proportional scaling: 7 -> 10", 10, "0", 7, "0", "foo-v3:2", ["foo-v2:3", "foo-v1:2"], [3, 4, 3]),
        new("proportional scaling: 13 -> 8", 8, "0", 13, "0", "foo-v3:2", ["foo-v2:8", "foo-v1:3"], [1, 5, 2]),
        new("leftover distribution: 3 -> 4", 4, "0", 3, "0", "foo-v3:1", ["foo-v2:1", "foo-v1:1"], [2, 1, 1]),
        new("leftover distribution: 3 -> 2", 2, "0", 3, "0", "foo-v3:1", ["foo-v2:1", "foo-v1:1"], [1, 1, 0]),
        new("proportional scaling (no new rs): 4 -> 5", 5, "0", 4, "0", null, ["foo-v2:2", "foo-v1:2"], [3, 2]),
        new("proportional scaling: 6 -> 0", 0, "0", 6, "0", "foo-v3:3", ["foo-v2:2", "foo-v1:1"], [0, 0, 0]),
        new("proportional scaling: 0 -> 6", 6, "0", 6, "0", "foo-v3:0", ["foo-v2:0", "foo-v1:0"], [6, 0, 0]),
        new("failed rs update", 5, "0", 5, "0", "foo-v3:2", ["foo-v2:1", "foo-v1:1"], [2, 2, 1], DesiredOverride: "foo-v2:3"),
        new("deployment with surge pods", 20, "2", 10, "2", "foo-v2:6", ["foo-v1:6"], [11, 11]),
        new("change both surge and size", 50, "6", 10, "3", "foo-v2:5", ["foo-v1:8"], [22, 34]),
        new("saturated but broken new replica set does not affect old pods", 2, "1", 2, "1", "foo-v2:2", ["foo-v1:1"], [2, 1], Unavailable: "1"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scaling_spreads_the_difference_in_proportion(Case c)
    {
        var d = Deployments.New(c.Replicas, maxSurge: c.Surge, maxUnavailable: c.Unavailable);
        var old = Deployments.New(c.OldReplicas, maxSurge: c.OldSurge, maxUnavailable: c.Unavailable);
        var newRS = c.NewRS is null ? null : Sized(c.NewRS, Deployments.T0, old, c.DesiredOverride);
        var oldRSs = c.OldRSs.Select((spec, i) => Sized(spec, Deployments.T0.AddHours(-1 - i), old, c.DesiredOverride)).ToList();

        var (steps, _) = ProportionalScaling.Plan(d, newRS, oldRSs);

        var sizes = steps.ToDictionary(s => s.ReplicaSet.Metadata.Name, s => s.Replicas);
        var all = newRS is null ? oldRSs : [newRS, .. oldRSs];
        all.Select(rs => sizes.TryGetValue(rs.Metadata.Name, out var size) ? size : rs.Spec.Replicas!.Value)
            .Should().Equal(c.Expected);
    }

    [Fact]
    public void A_saturated_new_replica_set_takes_everything_from_the_old_ones()
    {
        var d = Deployments.New(3, maxSurge: "1", maxUnavailable: "0");
        var newRS = Sized("foo-v2:3", Deployments.T0, d, null);
        newRS.Status.AvailableReplicas = 3;
        var oldRS = Sized("foo-v1:1", Deployments.T0.AddHours(-1), d, null);
        var idle = Sized("foo-v0:0", Deployments.T0.AddHours(-2), d, null);

        var (steps, refresh) = ProportionalScaling.Plan(d, newRS, [oldRS, idle]);

        steps.Select(s => (s.ReplicaSet.Metadata.Name, s.Replicas)).Should().Equal(("foo-v1", 0));
        refresh.Should().BeFalse();
    }

    private static k8s.Models.V1ReplicaSet Sized(string spec, DateTime created, k8s.Models.V1Deployment sizedFor, string? desiredOverride)
    {
        var (name, size) = Parse(spec);
        var rs = Deployments.Rs(name, size, created);
        var desired = desiredOverride is not null && Parse(desiredOverride).Name == name ? Parse(desiredOverride).Size : sizedFor.Spec.Replicas!.Value;
        DeploymentAnnotations.SetReplicas(rs, desired, desired + RollingMath.MaxSurge(sizedFor));
        return rs;
    }

    private static (string Name, int Size) Parse(string spec) => (spec.Split(':')[0], int.Parse(spec.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
}
