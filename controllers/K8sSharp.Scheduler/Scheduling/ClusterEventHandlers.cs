using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.Scheduler.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Queue;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>
/// Feeds the informers' events into the cache and the queue (upstream's eventhandlers.go): assigned pods go to the
/// cache, pending pods of this scheduler to the queue, terminal pods leave both; node, assigned-pod and storage
/// changes move the unschedulable pods they may help.
/// </summary>
internal sealed class ClusterEventHandlers(SchedulerCache cache, SchedulingQueue queue, string schedulerName = Profile.DefaultSchedulerName)
{
    /// <summary>Registers the handlers on the pod, node and storage informers of <paramref name="informers"/>.</summary>
    public void Register(SharedInformerFactory informers, IKubernetes client)
    {
        ArgumentNullException.ThrowIfNull(informers);
        informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client)).AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = PodAdded,
            OnUpdate = PodUpdated,
            OnDelete = PodDeleted,
        });
        informers.GetOrAdd(() => ListWatchers.For<V1Node>(client)).AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = NodeAdded,
            OnUpdate = NodeUpdated,
            OnDelete = n => Locked(() => cache.RemoveNode(n.Metadata.Name)),
        });
        var storageChanged = () => queue.MoveAllToActiveOrBackoff(ClusterEvent.StorageChange);
        informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client)).AddEventHandler(StorageHandler<V1PersistentVolumeClaim>(storageChanged));
        informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client)).AddEventHandler(StorageHandler<V1PersistentVolume>(storageChanged));
        informers.GetOrAdd(() => ListWatchers.For<V1StorageClass>(client)).AddEventHandler(StorageHandler<V1StorageClass>(storageChanged));
    }

    public void PodAdded(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (IsTerminal(pod))
        {
            return;
        }
        if (IsAssigned(pod))
        {
            Locked(() => cache.AddOrUpdatePod(pod));
            queue.MoveAllToActiveOrBackoff(ClusterEvent.AssignedPodAdd);
        }
        else if (IsOurs(pod))
        {
            Locked(() => cache.SetNominated(pod));
            queue.AddOrUpdate(pod);
        }
    }

    public void PodUpdated(V1Pod old, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(pod);
        if (IsTerminal(pod))
        {
            PodDeleted(pod);
            return;
        }
        if (IsAssigned(pod))
        {
            Locked(() =>
            {
                cache.RemoveNominated(Uid(pod));
                cache.AddOrUpdatePod(pod);
            });
            queue.Delete(pod);
            if (!IsAssigned(old))
            {
                queue.MoveAllToActiveOrBackoff(ClusterEvent.AssignedPodAdd);
            }
        }
        else if (IsOurs(pod))
        {
            Locked(() => cache.SetNominated(pod));
            queue.AddOrUpdate(pod);
        }
    }

    public void PodDeleted(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        bool wasPlaced = false;
        Locked(() =>
        {
            wasPlaced = cache.IsPlaced(Uid(pod));
            cache.RemovePod(Uid(pod));
            cache.RemoveNominated(Uid(pod));
        });
        queue.Delete(pod);
        if (wasPlaced || IsAssigned(pod))
        {
            queue.MoveAllToActiveOrBackoff(ClusterEvent.AssignedPodDelete);
        }
    }

    public void NodeAdded(V1Node node)
    {
        Locked(() => cache.AddOrUpdateNode(node));
        queue.MoveAllToActiveOrBackoff(ClusterEvent.NodeAdd);
    }

    public void NodeUpdated(V1Node old, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(node);
        Locked(() => cache.AddOrUpdateNode(node));
        if (SchedulingRelevant(old) != SchedulingRelevant(node))
        {
            queue.MoveAllToActiveOrBackoff(ClusterEvent.NodeUpdate);
        }
    }

    /// <summary>Pods whose spec.schedulerName is this profile's (the API server defaults it to default-scheduler).</summary>
    public bool IsOurs(V1Pod pod) => (pod.Spec?.SchedulerName ?? Profile.DefaultSchedulerName) == schedulerName;

    public static bool IsAssigned(V1Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    /// <summary>Succeeded and Failed pods hold no resources (upstream's pod informer filters them out).</summary>
    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static string Uid(V1Pod pod) => PodInfo.UidOf(pod);

    /// <summary>The node fields filters read; heartbeats and conditions alone do not move pods.</summary>
    private static string SchedulingRelevant(V1Node node) =>
        KubernetesJson.Serialize(new object?[] { node.Metadata.Labels, node.Spec?.Taints, node.Spec?.Unschedulable, node.Status?.Allocatable, node.Status?.Images });

    private void Locked(Action action)
    {
        lock (cache.Gate)
        {
            action();
        }
    }

    private static ResourceEventHandler<T> StorageHandler<T>(Action changed) => new()
    {
        OnAdd = _ => changed(),
        OnUpdate = (_, _) => changed(),
    };
}
