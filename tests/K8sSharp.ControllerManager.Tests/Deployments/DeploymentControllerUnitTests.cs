using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Deployments;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>
/// The reconcile against preloaded listers, virtual time and a recording API edge: each test states the cluster the
/// controller sees and asserts the requests it sends and the events it records.
/// </summary>
public sealed class DeploymentControllerUnitTests : IAsyncDisposable
{
    private readonly RecordingApi api = new();
    private readonly RecordedEvents events = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(Deployments.T0));
    private readonly SharedInformerFactory informers;
    private readonly DeploymentController controller;
    private readonly k8s.IKubernetes client;

    public DeploymentControllerUnitTests()
    {
        client = api.Client();
        informers = new SharedInformerFactory(time: time);
        controller = new DeploymentController(client, events, time, NullLogger.Instance);
        controller.Register(informers);
    }

    public async ValueTask DisposeAsync()
    {
        await informers.DisposeAsync();
        client.Dispose();
    }

    private void Preload(V1Deployment d, params V1ReplicaSet[] replicaSets)
    {
        informers.GetOrAdd(() => ListWatchers.For<V1Deployment>(null!)).Indexer.Upsert(d);
        foreach (var rs in replicaSets)
        {
            informers.GetOrAdd(() => ListWatchers.For<V1ReplicaSet>(null!)).Indexer.Upsert(rs);
            api.Know($"/apis/apps/v1/namespaces/ns/replicasets/{rs.Metadata.Name}", rs);
        }
    }

    /// <summary>An RS the deployment controls, at a revision, with the template of <paramref name="image"/> (hash-labelled when it is the deployment's).</summary>
    private static V1ReplicaSet Owned(V1Deployment d, string name, int replicas, int available, int revision, string image, DateTime created)
    {
        var rs = Deployments.Rs(name, replicas, created, available, image);
        rs.Metadata.OwnerReferences = [DeploymentController.OwnerReference(d)];
        rs.Metadata.Annotations[DeploymentAnnotations.Revision] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        DeploymentAnnotations.SetReplicas(rs, d.Spec.Replicas!.Value, d.Spec.Replicas!.Value + RollingMath.MaxSurge(d));
        rs.Spec.Template.Metadata.Labels[PodTemplateHash.Label] = name;
        rs.Metadata.Generation = 1;
        rs.Status.ObservedGeneration = 1;
        return rs;
    }

    private static V1DeploymentCondition Progressing(string reason, DateTime at) => new()
    {
        Type = "Progressing", Status = "True", Reason = reason, Message = "m", LastUpdateTime = at, LastTransitionTime = at,
    };

    private V1Deployment LastStatusWrite() => api.To("PUT", "/deployments/foo/status").Should().NotBeEmpty().And.Subject.Last().As<V1Deployment>();

    [Fact]
    public async Task A_new_deployment_gets_a_replica_set_named_by_its_template_hash()
    {
        var d = Deployments.New(3, maxSurge: "1", maxUnavailable: "0", image: "busybox:1.35");
        Preload(d);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        var hash = PodTemplateHash.Compute(d.Spec.Template, null);
        var rs = api.To("POST", "/namespaces/ns/replicasets").Should().ContainSingle().Subject.As<V1ReplicaSet>();
        rs.Metadata.Name.Should().Be("foo-" + hash);
        rs.Spec.Replicas.Should().Be(3, "min(replicas + maxSurge - existing pods, replicas)");
        rs.Spec.Selector.MatchLabels.Should().Contain(PodTemplateHash.Label, hash).And.Contain("foo", "bar");
        rs.Spec.Template.Metadata.Labels.Should().Contain(PodTemplateHash.Label, hash);
        rs.Metadata.Annotations.Should().Contain(DeploymentAnnotations.Revision, "1")
            .And.Contain(DeploymentAnnotations.DesiredReplicas, "3").And.Contain(DeploymentAnnotations.MaxReplicas, "4");
        rs.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1OwnerReference
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Name = "foo", Uid = "d-uid", Controller = true, BlockOwnerDeletion = true,
        });
        events.Events.Should().Equal(("Normal", "ScalingReplicaSet", $"Scaled up replica set foo-{hash} from 0 to 3"));
        var written = LastStatusWrite();
        written.Metadata.Annotations.Should().Contain(DeploymentAnnotations.Revision, "1");
        written.Status.ObservedGeneration.Should().Be(1);
        written.Status.Conditions.Select(c => (c.Type, c.Status, c.Reason)).Should().BeEquivalentTo(new[]
        {
            ("Progressing", "True", "NewReplicaSetCreated"), ("Available", "False", "MinimumReplicasUnavailable"),
        });
    }

    [Fact]
    public async Task A_rolling_update_scales_the_old_replica_set_down_only_as_far_as_availability_allows()
    {
        var d = Deployments.New(4, maxSurge: "1", maxUnavailable: "1", image: "new");
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "2" };
        d.Status.Conditions = [Progressing("ReplicaSetUpdated", Deployments.T0)];
        var oldRS = Owned(d, "foo-old", 4, available: 4, revision: 1, "old", Deployments.T0.AddHours(-1));
        var newRS = Owned(d, "foo-new", 1, available: 0, revision: 2, "new", Deployments.T0);
        Preload(d, oldRS, newRS);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.To("POST", "/replicasets").Should().BeEmpty("the new RS exists; 5 pods is replicas + maxSurge already");
        var scaled = api.To("PUT", "/replicasets/foo-old").Should().ContainSingle().Subject.As<V1ReplicaSet>();
        scaled.Spec.Replicas.Should().Be(3, "4 available - (4 replicas - 1 maxUnavailable) = 1 may go while the new pod is unavailable");
        api.To("PUT", "/replicasets/foo-new").Should().BeEmpty();
        events.Events.Should().Equal(("Normal", "ScalingReplicaSet", "Scaled down replica set foo-old from 4 to 3"));
    }

    [Fact]
    public async Task A_stuck_rollout_is_requeued_for_its_deadline_and_then_reported_as_exceeded()
    {
        var d = Deployments.New(2, maxSurge: "1", maxUnavailable: "0", image: "new");
        d.Spec.ProgressDeadlineSeconds = 60;
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "1" };
        var newRS = Owned(d, "foo-new", 2, available: 0, revision: 1, "new", Deployments.T0);
        d.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1, Replicas = 2, UpdatedReplicas = 2, ReadyReplicas = 0, AvailableReplicas = 0, UnavailableReplicas = 2,
            Conditions =
            [
                new V1DeploymentCondition { Type = "Available", Status = "False", Reason = "MinimumReplicasUnavailable", Message = "Deployment does not have minimum availability.", LastUpdateTime = Deployments.T0, LastTransitionTime = Deployments.T0 },
                Progressing("ReplicaSetUpdated", Deployments.T0),
            ],
        };
        Preload(d, newRS);
        time.Advance(TimeSpan.FromSeconds(30));

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.Writes.Should().BeEmpty("nothing changed yet");
        controller.Queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(31));
        controller.Queue.Length.Should().Be(1, "the deployment is looked at again once its deadline passed");

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        var progressing = LastStatusWrite().Status.Conditions.Single(c => c.Type == "Progressing");
        (progressing.Status, progressing.Reason, progressing.Message).Should().Be(("False", "ProgressDeadlineExceeded", "ReplicaSet \"foo-new\" has timed out progressing."));
    }

    [Fact]
    public async Task A_paused_deployment_scales_its_replica_sets_but_starts_no_rollout()
    {
        var d = Deployments.New(5, maxSurge: "1", maxUnavailable: "0", image: "new");
        d.Spec.Paused = true;
        var oldRS = Owned(Deployments.New(3, maxSurge: "1", maxUnavailable: "0"), "foo-old", 3, available: 3, revision: 1, "old", Deployments.T0);
        Preload(d, oldRS);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.To("POST", "/replicasets").Should().BeEmpty("no new ReplicaSet while paused");
        api.To("PUT", "/replicasets/foo-old").Should().ContainSingle().Which.As<V1ReplicaSet>().Spec.Replicas.Should().Be(5);
        var progressing = LastStatusWrite().Status.Conditions.Single(c => c.Type == "Progressing");
        (progressing.Status, progressing.Reason).Should().Be(("Unknown", "DeploymentPaused"));
    }

    [Fact]
    public async Task Old_replica_sets_beyond_the_history_limit_are_deleted_lowest_revision_first()
    {
        var d = Deployments.New(2, maxSurge: "1", maxUnavailable: "0", image: "new");
        d.Spec.RevisionHistoryLimit = 1;
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "4" };
        d.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 2, UpdatedReplicas = 2, ReadyReplicas = 2, AvailableReplicas = 2 };
        var newRS = Owned(d, "foo-new", 2, available: 2, revision: 4, "new", Deployments.T0);
        var r1 = Owned(d, "foo-r1", 0, 0, revision: 1, "v1", Deployments.T0.AddHours(-1));
        var r2 = Owned(d, "foo-r2", 0, 0, revision: 2, "v2", Deployments.T0.AddHours(-3));
        var r3 = Owned(d, "foo-r3", 0, 0, revision: 3, "v3", Deployments.T0.AddHours(-2));
        Preload(d, newRS, r1, r2, r3);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.Writes.Where(w => w.Method == "DELETE").Select(w => w.Path.Split('/')[^1]).Should().Equal("foo-r1", "foo-r2");
    }

    [Fact]
    public async Task Recreate_creates_the_new_replica_set_only_after_the_old_pods_are_gone()
    {
        var d = Deployments.New(3, image: "new");
        d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        var oldRS = Owned(d, "foo-old", 0, 0, revision: 1, "old", Deployments.T0);
        oldRS.Status.Replicas = 1; // its last pod is still terminating
        Preload(d, oldRS);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.To("POST", "/replicasets").Should().BeEmpty();
        oldRS.Status.Replicas = 0;
        Preload(d, oldRS);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        api.To("POST", "/replicasets").Should().ContainSingle().Which.As<V1ReplicaSet>().Spec.Replicas.Should().Be(3, "Recreate starts all at once");
    }

    [Fact]
    public async Task Matching_orphans_are_adopted_and_owned_replica_sets_that_stopped_matching_are_released()
    {
        var d = Deployments.New(2, maxSurge: "1", maxUnavailable: "0", image: "new");
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "1" };
        var orphan = Deployments.Rs("foo-orphan", 2, Deployments.T0, available: 2, image: "new");
        var relabelled = Owned(d, "foo-relabelled", 0, 0, revision: 1, "old", Deployments.T0.AddHours(-1));
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["foo"] = "other" };
        var strangers = Deployments.Rs("foo-strangers", 1, Deployments.T0, image: "new");
        strangers.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "bar", Uid = "other", Controller = true }];
        Preload(d, orphan, relabelled, strangers);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        var adopt = api.To("PATCH", "/replicasets/foo-orphan").Should().ContainSingle().Subject;
        adopt.As<V1ReplicaSet>().Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == "d-uid" && r.Controller == true && r.BlockOwnerDeletion == true);
        adopt.Body.Should().Contain("\"resourceVersion\"", "adoption is guarded by the resourceVersion it saw");
        var release = api.To("PATCH", "/replicasets/foo-relabelled").Should().ContainSingle().Subject;
        release.Body.Should().Contain("\"ownerReferences\":[]");
        api.Writes.Should().NotContain(w => w.Path.EndsWith("/foo-strangers", StringComparison.Ordinal), "another deployment controls it");
        api.To("POST", "/replicasets").Should().BeEmpty("the adopted orphan has the current template");
    }

    [Fact]
    public async Task A_replica_failure_of_the_new_replica_set_shows_on_the_deployment()
    {
        var d = Deployments.New(2, maxSurge: "1", maxUnavailable: "0", image: "new");
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "1" };
        var newRS = Owned(d, "foo-new", 2, available: 0, revision: 1, "new", Deployments.T0);
        newRS.Status.Replicas = 0;
        newRS.Status.Conditions = [new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "quota", LastTransitionTime = Deployments.T0 }];
        Preload(d, newRS);

        await controller.ReconcileAsync("ns/foo", CancellationToken.None);

        LastStatusWrite().Status.Conditions.Should().ContainSingle(c => c.Type == "ReplicaFailure")
            .Which.Should().BeEquivalentTo(new V1DeploymentCondition
            {
                Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "quota", LastTransitionTime = Deployments.T0, LastUpdateTime = Deployments.T0,
            });
    }
}
