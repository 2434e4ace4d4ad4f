using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Disruption;
using K8sSharp.ControllerManager.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The namespace controller and the disruption controller against our in-process API server, reconciles driven by hand.</summary>
public sealed class NamespaceAndDisruptionControllerTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();
    private NamespaceController namespaces = null!;
    private DisruptionController disruption = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        namespaces = new NamespaceController(server.Client, TimeProvider.System, NullLogger.Instance);
        namespaces.Register(server.Informers);
        disruption = new DisruptionController(server.Client, TimeProvider.System, NullLogger.Instance);
        disruption.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private async Task<bool> NamespaceExistsAsync(string name) =>
        (await server.Client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == name);

    [Fact]
    public async Task A_terminating_namespace_is_emptied_pods_first_then_finalized_and_removed()
    {
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }, "doomed");
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        };
        await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "doomed");
        await server.StartInformersAsync();
        await server.Client.CoreV1.DeleteNamespaceAsync("doomed");
        var cache = server.Informers.GetOrAdd(() => K8sSharp.Client.Informers.ListWatchers.For<V1Namespace>(server.Client)).Lister;
        await Eventually.TrueAsync(() => cache.Get(null, "doomed")?.Metadata.DeletionTimestamp is not null, "the cache sees the namespace terminating");

        await namespaces.ReconcileAsync("doomed", CancellationToken.None);

        var ns = await server.Client.CoreV1.ReadNamespaceAsync("doomed");
        ns.Spec.Finalizers.Should().Equal("kubernetes");
        ns.Status.Conditions.Single(c => c.Type == "NamespaceContentRemaining").Message.Should().Be("Some resources are remaining: pods. has 1 resource instances");
        (await server.Client.CoreV1.ListNamespacedConfigMapAsync("doomed")).Items.Should().ContainSingle("other content waits until the pods are gone");

        var held = await server.Client.CoreV1.ReadNamespacedPodAsync("held", "doomed");
        held.Metadata.Finalizers = null;
        await server.Client.CoreV1.ReplaceNamespacedPodAsync(held, "held", "doomed");
        await namespaces.ReconcileAsync("doomed", CancellationToken.None);

        (await NamespaceExistsAsync("doomed")).Should().BeFalse("the namespace was emptied and finalized");
    }

    [Fact]
    public async Task A_budget_gets_its_status_from_ready_pods_and_their_controller_scale()
    {
        var rs = await server.Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 4,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        }, "default");
        for (var i = 0; i < 3; i++)
        {
            var pod = await server.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "web-" + i,
                    Labels = new Dictionary<string, string> { ["app"] = "web" },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = rs.Metadata.Uid, Controller = true }],
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            }, "default");
            pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
            await server.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, "default");
        }
        await server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = "50%", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        }, "default");
        await server.StartInformersAsync();
        var budgets = server.Informers.GetOrAdd(() => K8sSharp.Client.Informers.ListWatchers.For<V1PodDisruptionBudget>(server.Client));
        var pods = server.Informers.GetOrAdd(() => K8sSharp.Client.Informers.ListWatchers.For<V1Pod>(server.Client));
        await Eventually.TrueAsync(() => budgets.Lister.List().Count == 1 && pods.Lister.List().Count(p => p.Status?.Phase == "Running") == 3, "the caches hold the budget and the ready pods");

        await disruption.ReconcileAsync("default/web", CancellationToken.None);

        var status = (await server.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", "default")).Status;
        (status.ExpectedPods, status.DesiredHealthy, status.CurrentHealthy, status.DisruptionsAllowed, status.ObservedGeneration).Should().Be((4, 2, 3, 1, 1L));
        status.Conditions.Single().Reason.Should().Be("SufficientPods");
    }
}
