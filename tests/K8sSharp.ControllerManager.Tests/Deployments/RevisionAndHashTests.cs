using k8s.Models;
using K8sSharp.ControllerManager.Deployments;

namespace K8sSharp.ControllerManager.Tests.Deployments;

public sealed class RevisionAndHashTests
{
    [Fact]
    public void A_new_replica_set_gets_the_revision_the_replica_counts_and_the_deployment_annotations_but_not_kubectls()
    {
        var d = Deployments.New(4, maxSurge: "1", maxUnavailable: "1");
        d.Metadata.Annotations = new Dictionary<string, string>
        {
            ["kubernetes.io/change-cause"] = "kubectl set image",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            [DeploymentAnnotations.Revision] = "7",
        };
        var rs = Deployments.Rs("foo-abc", 0, Deployments.T0);

        DeploymentAnnotations.SetNewReplicaSetAnnotations(d, rs, 3, exists: false).Should().BeTrue();

        rs.Metadata.Annotations.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["kubernetes.io/change-cause"] = "kubectl set image",
            [DeploymentAnnotations.Revision] = "3",
            [DeploymentAnnotations.DesiredReplicas] = "4",
            [DeploymentAnnotations.MaxReplicas] = "5",
        });
    }

    [Theory]
    [InlineData("1", null, 2, "1")]
    [InlineData("2", "1", 4, "1,2")]
    [InlineData("2", "", 4, "2")]
    public void A_reused_replica_set_remembers_its_earlier_revisions(string revision, string? history, long newRevision, string expectedHistory)
    {
        var rs = Deployments.Rs("foo-abc", 0, Deployments.T0);
        rs.Metadata.Annotations[DeploymentAnnotations.Revision] = revision;
        if (history is not null)
        {
            rs.Metadata.Annotations[DeploymentAnnotations.RevisionHistory] = history;
        }

        DeploymentAnnotations.SetNewReplicaSetAnnotations(Deployments.New(1), rs, newRevision, exists: true).Should().BeTrue();

        rs.Metadata.Annotations[DeploymentAnnotations.Revision].Should().Be(newRevision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        rs.Metadata.Annotations[DeploymentAnnotations.RevisionHistory].Should().Be(expectedHistory);
        rs.Metadata.Annotations.Should().NotContainKey(DeploymentAnnotations.DesiredReplicas, "an existing RS keeps its counts until it is scaled");
    }

    [Fact]
    public void Revision_history_drops_the_oldest_entries_beyond_2000_characters()
    {
        var rs = Deployments.Rs("foo-abc", 0, Deployments.T0);
        var old = string.Join(',', Enumerable.Range(1000, 400)); // 400 * 5 - 1 = 1999 characters
        rs.Metadata.Annotations[DeploymentAnnotations.RevisionHistory] = old;
        rs.Metadata.Annotations[DeploymentAnnotations.Revision] = "1500";

        DeploymentAnnotations.SetNewReplicaSetAnnotations(Deployments.New(1), rs, 1501, exists: true);

        var history = rs.Metadata.Annotations[DeploymentAnnotations.RevisionHistory];
        history.Length.Should().BeLessThanOrEqualTo(DeploymentAnnotations.MaxRevisionHistoryLengthInChars);
        history.Should().StartWith("1001,").And.EndWith(",1399,1500");
    }

    [Fact]
    public void The_hash_has_upstreams_shape_and_changes_with_the_template_and_the_collision_count()
    {
        var template = Deployments.Template("busybox:1.35");

        var hash = PodTemplateHash.Compute(template, null);

        hash.Should().MatchRegex("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$");
        PodTemplateHash.Compute(Deployments.Template("busybox:1.35"), null).Should().Be(hash, "the hash is a function of the template");
        PodTemplateHash.Compute(Deployments.Template("busybox:1.36"), null).Should().NotBe(hash);
        PodTemplateHash.Compute(template, 1).Should().NotBe(hash);
        PodTemplateHash.Compute(template, 1).Should().NotBe(PodTemplateHash.Compute(template, 2));
    }

    [Fact]
    public void Templates_are_compared_without_the_hash_label_and_with_empty_equal_to_unset()
    {
        var a = Deployments.Template("busybox");
        var b = Deployments.Template("busybox");
        b.Metadata.Labels[PodTemplateHash.Label] = "abc";
        b.Metadata.Annotations = new Dictionary<string, string>();
        b.Spec.Volumes = [];

        PodTemplateHash.EqualIgnoringHash(a, b).Should().BeTrue();
        b.Spec.Containers[0].Args = ["x"];
        PodTemplateHash.EqualIgnoringHash(a, b).Should().BeFalse();
    }

    [Fact]
    public void Conditions_keep_their_transition_time_when_only_the_reason_changes()
    {
        var t1 = new DateTimeOffset(Deployments.T0);
        var status = new V1DeploymentStatus();
        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "NewReplicaSetCreated", "m", t1));

        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "ReplicaSetUpdated", "m", t1.AddMinutes(1)));
        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "ReplicaSetUpdated", "m", t1.AddMinutes(2)));

        var condition = status.Conditions.Should().ContainSingle().Subject;
        (condition.Reason, condition.LastTransitionTime, condition.LastUpdateTime).Should().Be(("ReplicaSetUpdated", Deployments.T0, Deployments.T0.AddMinutes(1)));
    }
}
