using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Disruption;

/// <summary>
/// Keeps the status of PodDisruptionBudgets (upstream pkg/controller/disruption): currentHealthy, desiredHealthy,
/// expectedPods, disruptionsAllowed, observedGeneration, the DisruptionAllowed condition, and the disruptedPods the
/// eviction subresource records (dropped once the pod is gone or the eviction expired). Keys are
/// <c>namespace/name</c> of budgets; pod changes enqueue the budgets selecting the pod, controller changes every
/// budget of their namespace. The eviction handler of the API server only evicts against a budget this controller
/// has observed (observedGeneration) and that allows a disruption, and decrements disruptionsAllowed itself.
/// </summary>
internal sealed partial class DisruptionController : QueuedController
{
    private readonly IKubernetes client;
    private Lister<V1PodDisruptionBudget> budgets = null!;
    private Lister<V1Pod> pods = null!;
    private Lister<V1ReplicaSet> replicaSets = null!;
    private Lister<V1Deployment> deployments = null!;
    private Lister<V1ReplicationController> replicationControllers = null!;
    private Lister<V1StatefulSet> statefulSets = null!;

    public DisruptionController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
    }

    public override string Name => "disruption";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var budgetInformer = informers.GetOrAdd(() => ListWatchers.For<V1PodDisruptionBudget>(client));
        budgets = budgetInformer.Lister;
        EnqueueOnEveryChange(budgetInformer);
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        pods = podInformer.Lister;
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = EnqueueBudgetsOf,
            OnUpdate = (old, pod) =>
            {
                EnqueueBudgetsOf(old);
                EnqueueBudgetsOf(pod);
            },
            OnDelete = EnqueueBudgetsOf,
        });
        replicaSets = WatchController<V1ReplicaSet>(informers);
        deployments = WatchController<V1Deployment>(informers);
        replicationControllers = WatchController<V1ReplicationController>(informers);
        statefulSets = WatchController<V1StatefulSet>(informers);
    }

    /// <summary>A controller's scale feeds expectedPods of the budgets in its namespace.</summary>
    private Lister<T> WatchController<T>(SharedInformerFactory informers)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = informers.GetOrAdd(() => ListWatchers.For<T>(client));
        informer.AddEventHandler(new ResourceEventHandler<T>
        {
            OnUpdate = (_, obj) => EnqueueBudgetsIn(obj.Metadata.NamespaceProperty),
            OnDelete = obj => EnqueueBudgetsIn(obj.Metadata.NamespaceProperty),
        });
        return informer.Lister;
    }

    private void EnqueueBudgetsIn(string ns)
    {
        foreach (var budget in budgets.List(ns))
        {
            Queue.Add(ObjectKeys.For(budget));
        }
    }

    private void EnqueueBudgetsOf(V1Pod pod)
    {
        foreach (var budget in budgets.List(pod.Metadata.NamespaceProperty).Where(b => Selects(b, pod)))
        {
            Queue.Add(ObjectKeys.For(budget));
        }
    }

    /// <summary>policy/v1: an empty selector selects every pod of the namespace, a missing one none.</summary>
    private static bool Selects(V1PodDisruptionBudget budget, V1Pod pod) =>
        budget.Spec?.Selector is { } selector && LabelSelectors.Matches(selector, pod.Metadata.Labels);

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (budgets.GetByKey(key) is not { } budget)
        {
            return;
        }
        var matching = pods.List(budget.Metadata.NamespaceProperty).Where(p => Selects(budget, p)).ToList();
        var now = NowInSeconds();
        var result = DisruptionBudgets.Compute(budget, matching, ScaleOf, now);
        var status = result.Status ?? FailSafe(budget, result.Failure!, now);
        if (!DisruptionBudgets.SameStatus(budget.Status, status))
        {
            var updated = new V1PodDisruptionBudget { ApiVersion = budget.ApiVersion, Kind = budget.Kind, Metadata = budget.Metadata, Spec = budget.Spec, Status = status };
            await client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetStatusAsync(updated, budget.Metadata.Name, budget.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
        }
        if (result.RecheckAt is { } at)
        {
            Queue.AddAfter(key, at - now);
        }
        if (result.Failure is { } failure)
        {
            LogSyncFailed(Logger, key, failure);
        }
    }

    /// <summary>When the expected count cannot be computed, no disruption is allowed (upstream failSafe).</summary>
    private static V1PodDisruptionBudgetStatus FailSafe(V1PodDisruptionBudget budget, string failure, DateTime now)
    {
        var old = budget.Status ?? new V1PodDisruptionBudgetStatus();
        var status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = old.CurrentHealthy ?? 0,
            DesiredHealthy = old.DesiredHealthy ?? 0,
            ExpectedPods = old.ExpectedPods ?? 0,
            DisruptedPods = old.DisruptedPods,
            DisruptionsAllowed = 0,
            ObservedGeneration = old.ObservedGeneration,
            Conditions = DisruptionBudgets.CopyConditions(old.Conditions),
        };
        DisruptionBudgets.SetCondition(status.Conditions, "False", DisruptionBudgets.SyncFailed, failure, status.ObservedGeneration, now);
        return status;
    }

    /// <summary>
    /// The scale a pod's controller asks for: a ReplicaSet's, or its Deployment's when a Deployment controls it; a
    /// ReplicationController's; a StatefulSet's. Null when the controller is unknown or gone.
    /// </summary>
    private ControllerScale? ScaleOf(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty;
        if (Pods.ControllerOf(pod.Metadata) is not { } owner)
        {
            return null;
        }
        return owner.Kind switch
        {
            "ReplicaSet" when replicaSets.Get(ns, owner.Name) is { } rs && rs.Metadata.Uid == owner.Uid => DeploymentScaleOf(rs) ?? new(rs.Metadata.Uid, rs.Spec.Replicas ?? 1),
            "ReplicationController" when replicationControllers.Get(ns, owner.Name) is { } rc && rc.Metadata.Uid == owner.Uid => new(rc.Metadata.Uid, rc.Spec.Replicas ?? 1),
            "StatefulSet" when statefulSets.Get(ns, owner.Name) is { } set && set.Metadata.Uid == owner.Uid => new(set.Metadata.Uid, set.Spec.Replicas ?? 1),
            _ => null,
        };
    }

    private ControllerScale? DeploymentScaleOf(V1ReplicaSet rs) =>
        Pods.ControllerOf(rs.Metadata) is { Kind: "Deployment" } owner
        && deployments.Get(rs.Metadata.NamespaceProperty, owner.Name) is { } deployment && deployment.Metadata.Uid == owner.Uid
            ? new(deployment.Metadata.Uid, deployment.Spec.Replicas ?? 1)
            : null;

    [LoggerMessage(EventId = 5501, Level = LogLevel.Warning, Message = "disruption budget {Key}: {Failure}; no disruption allowed")]
    private static partial void LogSyncFailed(ILogger logger, string key, string failure);
}
