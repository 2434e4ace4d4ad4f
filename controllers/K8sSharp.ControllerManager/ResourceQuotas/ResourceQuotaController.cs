using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Api.Quota;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Dynamic;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.ResourceQuotas;

/// <summary>
/// The resource-quota controller (upstream pkg/controller/resourcequota): keeps each ResourceQuota's
/// <c>status.hard</c> equal to <c>spec.hard</c> and <c>status.used</c> equal to what the namespace's objects charge.
/// A quota is recalculated when it is created or its spec changes, when an object it may count is deleted (and when a
/// pod turns terminal or is past its grace period, which releases its compute usage), and fully every
/// <c>resyncPeriod</c> (upstream's <c>--resource-quota-sync-period</c>, 5 minutes), which also catches deletions of
/// resources without an informer here. Keys are <c>namespace/name</c> of quotas. Status writes carry the quota's
/// resourceVersion, so a race with admission charging it is a conflict, retried with backoff.
/// </summary>
internal sealed partial class ResourceQuotaController : QueuedController
{
    private readonly IKubernetes client;
    private readonly TimeSpan resyncPeriod;
    private readonly ResourceClient resources;
    private readonly Dictionary<(string Group, string Resource), Func<string, IReadOnlyList<JsonObject>>> cached = [];
    private DiscoveredResources? discovered;
    private Lister<V1ResourceQuota> quotas = null!;

    public ResourceQuotaController(IKubernetes client, TimeSpan resyncPeriod, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.resyncPeriod = resyncPeriod;
        resources = new ResourceClient(client);
    }

    public override string Name => "resourcequota";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var quotaInformer = informers.GetOrAdd(() => ListWatchers.For<V1ResourceQuota>(client));
        quotas = quotaInformer.Lister;
        quotaInformer.AddEventHandler(new ResourceEventHandler<V1ResourceQuota>
        {
            OnAdd = quota => Queue.Add(ObjectKeys.For(quota)),
            OnUpdate = (old, quota) =>
            {
                if (NeedsSync(old, quota))
                {
                    Queue.Add(ObjectKeys.For(quota));
                }
            },
        });
        var pods = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnUpdate = (old, pod) =>
            {
                if (IsCharged(old) && !IsCharged(pod))
                {
                    EnqueueNamespace(pod.Metadata.NamespaceProperty);
                }
            },
            OnDelete = pod => EnqueueNamespace(pod.Metadata.NamespaceProperty),
        });
        Track(pods, "pods");
        Track(informers.GetOrAdd(() => ListWatchers.For<V1Service>(client)), "services");
        Track(informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client)), "persistentvolumeclaims");
        Track(informers.GetOrAdd(() => ListWatchers.For<V1ConfigMap>(client)), "configmaps");
        Track(informers.GetOrAdd(() => ListWatchers.For<V1Secret>(client)), "secrets");
        Track(informers.GetOrAdd(() => ListWatchers.For<V1ReplicationController>(client)), "replicationcontrollers");
        Track(quotaInformer, "resourcequotas");
    }

    /// <summary>A core resource read from its informer's cache; its deletions recalculate the namespace's quotas.</summary>
    private void Track<T>(Informer<T> informer, string resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var lister = informer.Lister;
        cached[("", resource)] = ns => [.. lister.List(ns).Select(ToJson)];
        if (resource != "pods")
        {
            informer.AddEventHandler(new ResourceEventHandler<T> { OnDelete = obj => EnqueueNamespace(obj.Metadata.NamespaceProperty) });
        }
    }

    private static JsonObject ToJson<T>(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

    private bool IsCharged(V1Pod pod) => PodQuotaEvaluator.IsCharged(ToJson(pod), Time.GetUtcNow());

    private static bool NeedsSync(V1ResourceQuota old, V1ResourceQuota quota) =>
        KubernetesJson.Serialize(old.Spec) != KubernetesJson.Serialize(quota.Spec)
        || !SameNames(quota.Spec?.Hard?.Keys, quota.Status?.Hard?.Keys)
        || !SameNames(quota.Spec?.Hard?.Keys, quota.Status?.Used?.Keys);

    private static bool SameNames(ICollection<string>? a, ICollection<string>? b) =>
        (a ?? []).Order(StringComparer.Ordinal).SequenceEqual((b ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private void EnqueueNamespace(string? ns)
    {
        foreach (var quota in quotas.List(ns))
        {
            Queue.Add(ObjectKeys.For(quota));
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (quotas.Get(ns, name) is not { } typed)
        {
            return;
        }
        var quota = ToJson(typed);
        var used = await QuotaUsage.CalculateAsync(quota, (group, resource) => ObjectsAsync(group, resource, ns!, cancellationToken), Time.GetUtcNow());
        var hard = ResourceList.FromJson(quota["spec"]?["hard"]);
        var status = new JsonObject { ["hard"] = hard.ToJson(), ["used"] = used.ToJson() };
        if (!JsonNode.DeepEquals(Canonical(quota["status"]), status))
        {
            LogUpdating(Logger, key, used.Pretty());
            await WriteStatusAsync(typed, status, cancellationToken);
        }
        Queue.AddAfter(key, resyncPeriod);
    }

    private static JsonObject Canonical(JsonNode? status) => new()
    {
        ["hard"] = ResourceList.FromJson(status?["hard"]).ToJson(),
        ["used"] = ResourceList.FromJson(status?["used"]).ToJson(),
    };

    /// <summary>Replaces the status, guarded by the resourceVersion the usage was calculated from.</summary>
    private async Task WriteStatusAsync(V1ResourceQuota quota, JsonObject status, CancellationToken ct)
    {
        var body = ToJson(quota);
        body["status"] = status;
        var update = KubernetesJson.Deserialize<V1ResourceQuota>(body.ToJsonString());
        await client.CoreV1.ReplaceNamespacedResourceQuotaStatusAsync(update, quota.Metadata.Name, quota.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    private async Task<IReadOnlyList<JsonObject>> ObjectsAsync(string group, string resource, string ns, CancellationToken ct)
    {
        if (cached.TryGetValue((group, resource), out var fromCache))
        {
            return fromCache(ns);
        }
        if (await FindAsync(group, resource, ct) is not { } gvr)
        {
            return [];
        }
        var items = await resources.ListMetadataAsync(gvr, ns, ct);
        return [.. items.Select(ToJson)];
    }

    /// <summary>The served version of any other resource, from discovery (read again when it does not know the resource).</summary>
    private async Task<GroupVersionResource?> FindAsync(string group, string resource, CancellationToken ct)
    {
        var found = discovered?.All.FirstOrDefault(r => r.Resource.Group == group && r.Resource.Resource == resource);
        if (found is null)
        {
            discovered = await DiscoveredResources.DiscoverAsync(client, ct);
            found = discovered.All.FirstOrDefault(r => r.Resource.Group == group && r.Resource.Resource == resource);
        }
        return found is { Namespaced: true } && found.Supports("list") ? found.Resource : null;
    }

    [LoggerMessage(EventId = 5901, Level = LogLevel.Information, Message = "{Quota}: status.used is now {Used}")]
    private static partial void LogUpdating(ILogger logger, string quota, string used);
}
