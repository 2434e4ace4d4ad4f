using System.Text.Json.Nodes;
using k8s.Models;
using K8sSharp.ControllerManager.Revisions;
using K8sSharp.ControllerManager.StatefulSets;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

public sealed class StatefulSetUnitTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private const string Update = "web-new";
    private const string Current = "web-old";

    private static V1StatefulSet Set(int replicas, string policy = "OrderedReady", int? partition = null, string? maxUnavailable = null, int? start = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "set-uid", Generation = 1 },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "web",
            PodManagementPolicy = policy,
            Ordinals = start is null ? null : new V1StatefulSetOrdinals { Start = start },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            UpdateStrategy = new V1StatefulSetUpdateStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateStatefulSetStrategy
                {
                    Partition = partition ?? 0,
                    MaxUnavailable = maxUnavailable is null ? null : (IntOrString)maxUnavailable,
                },
            },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            },
            VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "www" }, Spec = new V1PersistentVolumeClaimSpec() }],
        },
    };

    private static V1Pod Pod(int ordinal, bool ready = true, string revision = Update, bool terminating = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"web-{ordinal}",
            NamespaceProperty = "ns",
            Uid = $"pod-{ordinal}",
            Labels = new Dictionary<string, string> { ["app"] = "web", ["controller-revision-hash"] = revision },
            DeletionTimestamp = terminating ? Clock.GetUtcNow().UtcDateTime : null,
        },
        Status = new V1PodStatus
        {
            Phase = ready ? "Running" : "Pending",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Clock.GetUtcNow().UtcDateTime.AddMinutes(-1) }],
        },
    };

    private static string Steps(V1StatefulSet set, params V1Pod[] pods) => string.Join(' ',
        StatefulSetPlanner.Plan(set, StatefulSetPlanner.Split(set, pods), Update, Clock.GetUtcNow())
            .Select(s => s.IsCreate ? $"create-{s.Ordinal}" : $"delete-{s.Ordinal}"));

    [Fact]
    public void Ordered_ready_creates_one_ordinal_at_a_time_each_after_the_previous_is_running_and_ready()
    {
        var set = Set(3);
        Steps(set).Should().Be("create-0");
        Steps(set, Pod(0, ready: false)).Should().Be(string.Empty, "web-0 is not Running and Ready yet");
        Steps(set, Pod(0)).Should().Be("create-1");
        Steps(set, Pod(0), Pod(1)).Should().Be("create-2");
        Steps(set, Pod(0), Pod(1), Pod(2)).Should().Be(string.Empty);
    }

    [Fact]
    public void Parallel_creates_and_deletes_every_ordinal_at_once()
    {
        Steps(Set(3, "Parallel")).Should().Be("create-0 create-1 create-2");
        Steps(Set(1, "Parallel"), Pod(0), Pod(1, ready: false), Pod(2)).Should().Be("delete-2 delete-1");
    }

    [Fact]
    public void Ordered_scale_down_deletes_the_highest_ordinal_first_and_waits_for_it()
    {
        var set = Set(2);
        Steps(set, Pod(0), Pod(1), Pod(2), Pod(3)).Should().Be("delete-3");
        Steps(set, Pod(0), Pod(1), Pod(2), Pod(3, terminating: true)).Should().Be(string.Empty);
        Steps(set, Pod(0), Pod(1, ready: false), Pod(2)).Should().Be(string.Empty, "scale-down waits while a replica is unhealthy");
    }

    [Fact]
    public void Failed_pods_are_deleted_to_be_recreated()
    {
        var failed = Pod(1);
        failed.Status.Phase = "Failed";
        Steps(Set(2), Pod(0), failed).Should().Be("delete-1");
    }

    [Theory]
    [InlineData(0, null, "web-old web-old web-old", "delete-2")]
    [InlineData(0, null, "web-old web-old web-new", "delete-1")]
    [InlineData(1, null, "web-old web-old web-new", "delete-1")]
    [InlineData(2, null, "web-old web-old web-new", "")]
    [InlineData(0, "2", "web-old web-old web-old", "delete-2 delete-1")]
    public void Rolling_update_replaces_from_the_highest_ordinal_down_to_the_partition(int partition, string? maxUnavailable, string revisions, string expected)
    {
        var pods = revisions.Split(' ').Select((revision, ordinal) => Pod(ordinal, revision: revision)).ToArray();

        Steps(Set(3, partition: partition, maxUnavailable: maxUnavailable), pods).Should().Be(expected);
    }

    [Fact]
    public void Rolling_update_waits_while_a_replaced_pod_is_not_ready()
    {
        Steps(Set(3), Pod(0, revision: Current), Pod(1, revision: Current), Pod(2, ready: false)).Should().Be(string.Empty);
    }

    [Fact]
    public void A_recreated_pod_below_the_partition_keeps_the_current_revision()
    {
        var set = Set(3, partition: 2);
        StatefulSetPlanner.CreatesFromUpdateRevision(set, 1).Should().BeFalse();
        StatefulSetPlanner.CreatesFromUpdateRevision(set, 2).Should().BeTrue();
    }

    [Fact]
    public void Ordinals_start_at_spec_ordinals_start()
    {
        var set = Set(2, "Parallel", start: 5);
        Steps(set).Should().Be("create-5 create-6");
        Steps(set, Pod(5), Pod(6), Pod(0)).Should().Be("delete-0");
    }

    [Fact]
    public void A_pod_has_its_identity_labels_hostname_subdomain_and_claim_volume()
    {
        var set = Set(3);
        var pod = StatefulPods.New(set, set.Spec.Template, 2, "web-abc", new V1OwnerReference { Uid = "set-uid", Controller = true });

        pod.Metadata.Name.Should().Be("web-2");
        pod.Metadata.Labels.Should().Contain(new Dictionary<string, string>
        {
            ["app"] = "web", ["statefulset.kubernetes.io/pod-name"] = "web-2", ["apps.kubernetes.io/pod-index"] = "2", ["controller-revision-hash"] = "web-abc",
        });
        (pod.Spec.Hostname, pod.Spec.Subdomain).Should().Be(("web-2", "web"));
        pod.Spec.Volumes.Should().ContainSingle(v => v.Name == "www" && v.PersistentVolumeClaim.ClaimName == "www-web-2");
        StatefulPods.Claims(set, 2).Should().ContainSingle().Which.Metadata.Labels.Should().Contain("app", "web");
    }

    [Theory]
    [InlineData("Retain", "Retain", false, "")]
    [InlineData("Delete", "Retain", false, "StatefulSet")]
    [InlineData("Delete", "Retain", true, "StatefulSet")]
    [InlineData("Retain", "Delete", false, "")]
    [InlineData("Retain", "Delete", true, "Pod")]
    [InlineData("Delete", "Delete", true, "Pod")]
    public void Claim_owners_follow_the_retention_policy(string whenDeleted, string whenScaled, bool scaledDown, string owners)
    {
        var set = Set(1);
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = whenDeleted, WhenScaled = whenScaled };
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "www-web-1" } };

        var wanted = StatefulSetController.WantedOwners(set, Pod(1), claim, scaledDown) ?? [];

        string.Join(' ', wanted.Select(o => o.Kind)).Should().Be(owners);
    }

    [Fact]
    public void Status_promotes_the_update_revision_once_every_pod_is_updated_and_ready()
    {
        var set = Set(2);
        var rolling = StatefulSetStatuses.Compute(set, [Pod(0, revision: Current), Pod(1)], Current, Update, Clock.GetUtcNow());
        (rolling.Replicas, rolling.ReadyReplicas, rolling.CurrentReplicas, rolling.UpdatedReplicas, rolling.CurrentRevision)
            .Should().Be((2, 2, 1, 1, Current));

        var done = StatefulSetStatuses.Compute(set, [Pod(0), Pod(1)], Current, Update, Clock.GetUtcNow());
        (done.CurrentReplicas, done.UpdatedReplicas, done.CurrentRevision, done.UpdateRevision).Should().Be((2, 2, Update, Update));
    }

    [Fact]
    public void Revision_data_is_a_replace_patch_of_the_template_and_hashes_change_with_the_collision_count()
    {
        var set = Set(1);
        var patch = RevisionData.PatchFor(set.Spec.Template);
        patch["spec"]!["template"]!["$patch"]!.GetValue<string>().Should().Be("replace");

        var revision = new V1ControllerRevision { Data = patch };
        RevisionData.TemplateOf(revision)!.Spec.Containers.Should().ContainSingle(c => c.Image == "busybox");
        RevisionData.Holds(revision, RevisionData.PatchFor(set.Spec.Template)).Should().BeTrue();

        RevisionData.Hash(patch, null).Should().Be(RevisionData.Hash(JsonNode.Parse(patch.ToJsonString())!, null));
        RevisionData.Hash(patch, 1).Should().NotBe(RevisionData.Hash(patch, null));
        RevisionData.Hash(patch, null).Should().MatchRegex("^[bcdfghjklmnpqrstvwxz2456789]+$");
    }
}
