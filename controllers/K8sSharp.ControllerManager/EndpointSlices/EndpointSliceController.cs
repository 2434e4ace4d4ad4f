using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ServiceEndpoints;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.EndpointSlices;

/// <summary>
/// Publishes the pods behind every Service with a selector as EndpointSlices (upstream pkg/controller/endpointslice
/// and staging/src/k8s.io/endpointslice's reconciler). Keys are Services; the slices of a Service are those labelled
/// with its name and managed by this controller. Services without a selector (or ExternalName) are left alone: their
/// slices belong to whoever wrote them. When a Service goes away its managed slices are deleted here too (the
/// ownerReference lets a garbage collector do the same).
/// </summary>
internal sealed partial class EndpointSliceController : ServiceEndpointsController
{
    private readonly SliceTracker tracker = new();
    private Lister<V1EndpointSlice> slices = null!;
    private Lister<V1Node> nodes = null!;

    public EndpointSliceController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(client, time, logger)
    {
    }

    public override string Name => "endpointslice";

    protected override void RegisterOwnInformers(SharedInformerFactory informers)
    {
        var sliceInformer = informers.GetOrAdd(() => ListWatchers.For<V1EndpointSlice>(Client));
        slices = sliceInformer.Lister;
        nodes = informers.GetOrAdd(() => ListWatchers.For<V1Node>(Client)).Lister;
        sliceInformer.AddEventHandler(new ResourceEventHandler<V1EndpointSlice>
        {
            OnAdd = s => OnSliceChanged(s, deleted: false),
            OnUpdate = (_, s) => OnSliceChanged(s, deleted: false),
            OnDelete = s => OnSliceChanged(s, deleted: true),
        });
    }

    /// <summary>Someone (we or another writer) changed a managed slice: the Service is synced again, from a cache that now shows it.</summary>
    private void OnSliceChanged(V1EndpointSlice slice, bool deleted)
    {
        if (ServiceKeyOf(slice) is not { } key)
        {
            return;
        }
        if (deleted)
        {
            tracker.ObservedDeletion(key, slice.Metadata.Name);
        }
        else
        {
            tracker.Observed(key, slice);
        }
        Queue.Add(key);
    }

    private static string? ServiceKeyOf(V1EndpointSlice slice) =>
        slice.Metadata.Labels is { } labels
        && labels.TryGetValue(SliceShape.ManagedByLabel, out var manager) && manager == SliceShape.ControllerName
        && labels.TryGetValue(SliceShape.ServiceNameLabel, out var service)
            ? ObjectKeys.For(slice.Metadata.NamespaceProperty, service)
            : null;

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var managed = slices.List(ns, new Dictionary<string, string>
        {
            [SliceShape.ServiceNameLabel] = name,
            [SliceShape.ManagedByLabel] = SliceShape.ControllerName,
        });
        if (tracker.IsStale(key, managed))
        {
            throw new StaleCacheException($"the slice cache of {key} does not show this controller's last writes yet");
        }
        var service = Services.Get(ns, name);
        if (service is null)
        {
            TriggerTimes.Forget(key);
            await ApplyAsync(key, new SlicePlan([], [], managed), cancellationToken);
            return;
        }
        if (!EndpointPods.HasManagedEndpoints(service) || service.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        var pods = SelectedPods(service);
        var (desired, skipped) = DesiredEndpoints.Build(service, pods, node => nodes.Get(null, node));
        var plan = SlicePlanner.Plan(service, managed, desired, TriggerTimes.Compute(key, service, pods));
        await ApplyAsync(key, plan, cancellationToken);
        if (skipped.Count > 0)
        {
            // Retried with backoff: the Node may yet appear (upstream returns the same error).
            throw new InvalidOperationException($"{key}: pods {string.Join(", ", skipped)} name Nodes that do not exist; left out for now");
        }
    }

    private async Task ApplyAsync(string key, SlicePlan plan, CancellationToken cancellationToken)
    {
        if (plan.IsEmpty)
        {
            return;
        }
        var api = Client.DiscoveryV1;
        foreach (var slice in plan.Create)
        {
            try
            {
                tracker.Written(key, await api.CreateNamespacedEndpointSliceAsync(slice, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken));
            }
            catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
            {
                return; // the namespace and everything in it is going away
            }
        }
        foreach (var slice in plan.Update)
        {
            tracker.Written(key, await api.ReplaceNamespacedEndpointSliceAsync(slice, slice.Metadata.Name, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken));
        }
        foreach (var slice in plan.Delete)
        {
            try
            {
                await api.DeleteNamespacedEndpointSliceAsync(slice.Metadata.Name, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                tracker.DeletionWritten(key, slice.Metadata.Name);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // already gone
            }
        }
        LogSynced(Logger, key, plan.Create.Count, plan.Update.Count, plan.Delete.Count);
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "{Service}: endpoint slices created {Created}, updated {Updated}, deleted {Deleted}")]
    private static partial void LogSynced(ILogger logger, string service, int created, int updated, int deleted);
}

/// <summary>A reconcile that must wait for the informer to catch up with the controller's own writes; retried with backoff.</summary>
internal sealed class StaleCacheException(string message) : Exception(message);
