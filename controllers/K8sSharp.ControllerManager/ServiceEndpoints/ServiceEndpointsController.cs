using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.ServiceEndpoints;

/// <summary>
/// The event plumbing the EndpointSlice and Endpoints controllers share (upstream's onServiceUpdate/addPod/updatePod/
/// deletePod): keys are <c>namespace/name</c> of Services; a Service event enqueues the Service, a pod event enqueues
/// every Service in the pod's namespace whose selector matches the pod's labels before or after the change. Subclasses
/// add the informers of what they write and reconcile one Service from the listers.
/// </summary>
internal abstract class ServiceEndpointsController : QueuedController
{
    protected ServiceEndpointsController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        Client = client;
    }

    protected IKubernetes Client { get; }

    protected Lister<V1Service> Services { get; private set; } = null!;

    protected Lister<V1Pod> Pods { get; private set; } = null!;

    protected TriggerTimeTracker TriggerTimes { get; } = new();

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var serviceInformer = informers.GetOrAdd(() => ListWatchers.For<V1Service>(Client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(Client));
        Services = serviceInformer.Lister;
        Pods = podInformer.Lister;
        serviceInformer.AddEventHandler(new ResourceEventHandler<V1Service>
        {
            OnAdd = s => Queue.Add(ObjectKeys.For(s)),
            OnUpdate = (_, s) => Queue.Add(ObjectKeys.For(s)),
            OnDelete = s =>
            {
                TriggerTimes.Forget(ObjectKeys.For(s));
                Queue.Add(ObjectKeys.For(s));
            },
        });
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = EnqueueSelecting,
            OnUpdate = (old, pod) =>
            {
                if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
                {
                    return; // resync: nothing changed
                }
                EnqueueSelecting(old);
                EnqueueSelecting(pod);
            },
            OnDelete = EnqueueSelecting,
        });
        RegisterOwnInformers(informers);
    }

    /// <summary>Adds the informers (and handlers) of the objects this controller writes.</summary>
    protected abstract void RegisterOwnInformers(SharedInformerFactory informers);

    /// <summary>The pods a Service selects in its namespace (selector as a label map, as Services have).</summary>
    protected IReadOnlyList<V1Pod> SelectedPods(V1Service service) =>
        Pods.List(service.Metadata.NamespaceProperty, service.Spec.Selector);

    private void EnqueueSelecting(V1Pod pod)
    {
        foreach (var service in Services.List(pod.Metadata.NamespaceProperty))
        {
            if (service.Spec?.Selector is { Count: > 0 } selector && LabelSelectors.Matches(selector, pod.Metadata.Labels))
            {
                Queue.Add(ObjectKeys.For(service));
            }
        }
    }
}
