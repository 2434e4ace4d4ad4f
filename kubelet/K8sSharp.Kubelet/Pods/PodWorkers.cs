using Docker.DotNet;
using Docker.DotNet.Models;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.Client.WorkQueues;
using K8sSharp.Kubelet.Runtime;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// Feeds pod keys ("ns/name") to the <see cref="PodSyncer"/> (the kubelet's pod workers and PLEG): the pod informer
/// (pods with spec.nodeName = this node), changes of the ConfigMaps and Secrets their volumes project (so a
/// changed source reaches the files within seconds rather than at the next re-sync), docker's event stream for this node's containers (a container died or
/// started), probe result changes, the pods found in docker at start-up (adoption and orphan clean-up), and the
/// re-sync each sync asks for. The work queue never hands one key to two workers at once.
/// </summary>
internal sealed partial class PodWorkers(DockerRuntime runtime, TimeProvider time, ILogger logger)
{
    public WorkQueue Queue { get; } = new(time);

    public static string Key(string ns, string name) => ns + "/" + name;

    public void Register(Informer<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = p => Queue.Add(Key(p.Metadata.NamespaceProperty, p.Metadata.Name)),
            OnUpdate = (_, p) => Queue.Add(Key(p.Metadata.NamespaceProperty, p.Metadata.Name)),
            OnDelete = p => Queue.Add(Key(p.Metadata.NamespaceProperty, p.Metadata.Name)),
        });
    }

    /// <summary>
    /// A ConfigMap or Secret that changes (or appears, or goes) enqueues the pods of this node whose volumes project it;
    /// the sync rewrites their files atomically.
    /// </summary>
    public void RegisterVolumeSources(Informer<V1ConfigMap> configMaps, Informer<V1Secret> secrets, Lister<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(configMaps);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(pods);
        void EnqueueUsers(V1ObjectMeta source, Func<V1Pod, string, bool> uses)
        {
            foreach (var pod in pods.List(source.NamespaceProperty).Where(p => uses(p, source.Name)))
            {
                Queue.Add(Key(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
            }
        }
        configMaps.AddEventHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnAdd = cm => EnqueueUsers(cm.Metadata, VolumeSourceReferences.UsesConfigMap),
            OnUpdate = (old, cm) =>
            {
                if (old.Metadata.ResourceVersion != cm.Metadata.ResourceVersion)
                {
                    EnqueueUsers(cm.Metadata, VolumeSourceReferences.UsesConfigMap);
                }
            },
            OnDelete = cm => EnqueueUsers(cm.Metadata, VolumeSourceReferences.UsesConfigMap),
        });
        secrets.AddEventHandler(new ResourceEventHandler<V1Secret>
        {
            OnAdd = secret => EnqueueUsers(secret.Metadata, VolumeSourceReferences.UsesSecret),
            OnUpdate = (old, secret) =>
            {
                if (old.Metadata.ResourceVersion != secret.Metadata.ResourceVersion)
                {
                    EnqueueUsers(secret.Metadata, VolumeSourceReferences.UsesSecret);
                }
            },
            OnDelete = secret => EnqueueUsers(secret.Metadata, VolumeSourceReferences.UsesSecret),
        });
    }

    /// <summary>Enqueues every pod that has containers on this node (adopted after a restart, or orphaned).</summary>
    public async Task EnqueueRuntimePodsAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, ns, name) in await runtime.ListPodsAsync(cancellationToken))
        {
            Queue.Add(Key(ns, name));
        }
    }

    /// <summary>Follows docker's events for this node's containers until cancelled, reconnecting after errors.</summary>
    public async Task WatchRuntimeEventsAsync(CancellationToken cancellationToken)
    {
        var filters = runtime.NodeFilter();
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        var progress = new EventSink(this);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await runtime.Client.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, progress, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
            {
                LogEventsFailed(logger, e);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    private sealed class EventSink(PodWorkers workers) : IProgress<Message>
    {
        public void Report(Message value)
        {
            if (value.Action is "die" or "start" or "oom"
                && value.Actor?.Attributes is { } attributes
                && attributes.TryGetValue(ContainerLabels.PodNamespace, out var ns)
                && attributes.TryGetValue(ContainerLabels.PodName, out var name))
            {
                workers.Queue.Add(Key(ns, name));
            }
        }
    }

    [LoggerMessage(EventId = 6205, Level = LogLevel.Warning, Message = "docker event stream failed; reconnecting")]
    private static partial void LogEventsFailed(ILogger logger, Exception exception);
}
