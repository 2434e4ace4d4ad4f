using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ServiceEndpoints;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Endpoints;

/// <summary>
/// Keeps the core/v1 Endpoints object of every Service with a selector (upstream pkg/controller/endpoint), still read
/// by many clients. The object has the Service's name and labels plus <c>endpointslice.kubernetes.io/skip-mirror</c>
/// (the EndpointSlice mirroring controller must not copy it back), the trigger-time annotation, and
/// <c>endpoints.kubernetes.io/over-capacity: truncated</c> when more than 1000 addresses had to be cut. It is deleted
/// with its Service; Services without a selector keep whatever Endpoints their users write.
/// </summary>
internal sealed partial class EndpointsController : ServiceEndpointsController
{
    public const string SkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";
    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    private Lister<V1Endpoints> endpoints = null!;

    public EndpointsController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(client, time, logger)
    {
    }

    public override string Name => "endpoint";

    protected override void RegisterOwnInformers(SharedInformerFactory informers)
    {
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1Endpoints>(Client));
        endpoints = informer.Lister;
        // A changed or deleted Endpoints object of a Service we manage is put back by the next sync of that Service.
        // Endpoints without such a Service are someone else's: their events must not reach ReconcileAsync, which
        // deletes the Endpoints of a Service that is gone.
        informer.AddEventHandler(new ResourceEventHandler<V1Endpoints>
        {
            OnUpdate = (_, e) => EnqueueIfManaged(e),
            OnDelete = EnqueueIfManaged,
        });
    }

    private void EnqueueIfManaged(V1Endpoints e)
    {
        if (Services.Get(e.Metadata.NamespaceProperty, e.Metadata.Name) is { } service && EndpointPods.HasManagedEndpoints(service))
        {
            Queue.Add(ObjectKeys.For(e));
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var service = Services.Get(ns, name);
        var current = endpoints.Get(ns, name);
        if (service is null)
        {
            TriggerTimes.Forget(key);
            await DeleteAsync(current, cancellationToken);
            return;
        }
        if (!EndpointPods.HasManagedEndpoints(service) || service.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        var pods = SelectedPods(service);
        var subsets = EndpointSubsets.Build(service, pods);
        var truncated = EndpointSubsets.Truncate(subsets);
        var triggerTime = TriggerTimes.Compute(key, service, pods);
        if (current is not null && IsCurrent(current, service, subsets, truncated))
        {
            return;
        }
        var desired = Desired(service, current, subsets, truncated, triggerTime);
        if (current is null)
        {
            await CreateAsync(desired, cancellationToken);
        }
        else
        {
            await Client.CoreV1.ReplaceNamespacedEndpointsAsync(desired, name, ns, cancellationToken: cancellationToken);
        }
        LogSynced(Logger, key, subsets.Sum(s => s.Addresses?.Count ?? 0), subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0));
    }

    private static bool IsCurrent(V1Endpoints current, V1Service service, List<V1EndpointSubset> subsets, bool truncated) =>
        KubernetesJson.Serialize(current.Subsets ?? []) == KubernetesJson.Serialize(subsets)
        && SameLabels(current.Metadata.Labels, Labels(service))
        && (current.Metadata.Annotations?.ContainsKey(OverCapacityAnnotation) ?? false) == truncated;

    /// <summary>The object to write: the current one (its other metadata kept) or a new one, with our subsets, labels and annotations.</summary>
    private static V1Endpoints Desired(V1Service service, V1Endpoints? current, List<V1EndpointSubset> subsets, bool truncated, DateTime? triggerTime)
    {
        var desired = current is null
            ? new V1Endpoints { ApiVersion = "v1", Kind = "Endpoints", Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = service.Metadata.NamespaceProperty } }
            : KubernetesJson.Deserialize<V1Endpoints>(KubernetesJson.Serialize(current));
        desired.Subsets = subsets;
        desired.Metadata.Labels = Labels(service);
        var annotations = desired.Metadata.Annotations ?? new Dictionary<string, string>();
        SetOrRemove(annotations, TriggerTimeTracker.Annotation, triggerTime is { } t ? TriggerTimeTracker.Format(t) : null);
        SetOrRemove(annotations, OverCapacityAnnotation, truncated ? "truncated" : null);
        desired.Metadata.Annotations = annotations.Count > 0 ? annotations : null;
        return desired;
    }

    private static Dictionary<string, string> Labels(V1Service service)
    {
        var labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [SkipMirrorLabel] = "true",
        };
        if (service.Spec.ClusterIP == "None")
        {
            labels[HeadlessLabel] = string.Empty;
        }
        return labels;
    }

    private static bool SameLabels(IDictionary<string, string>? a, Dictionary<string, string> b) =>
        a is not null && a.Count == b.Count && a.All(l => b.TryGetValue(l.Key, out var v) && v == l.Value);

    private static void SetOrRemove(IDictionary<string, string> annotations, string key, string? value)
    {
        if (value is null)
        {
            annotations.Remove(key);
        }
        else
        {
            annotations[key] = value;
        }
    }

    private async Task CreateAsync(V1Endpoints desired, CancellationToken cancellationToken)
    {
        try
        {
            await Client.CoreV1.CreateNamespacedEndpointsAsync(desired, desired.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            // the namespace is going away with everything in it
        }
    }

    private async Task DeleteAsync(V1Endpoints? current, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            return;
        }
        try
        {
            await Client.CoreV1.DeleteNamespacedEndpointsAsync(current.Metadata.Name, current.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // already gone
        }
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "{Service}: endpoints written ({Ready} ready, {NotReady} not ready addresses)")]
    private static partial void LogSynced(ILogger logger, string service, int ready, int notReady);
}
