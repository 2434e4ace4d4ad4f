using System.Collections.Concurrent;
using k8s.Models;
using K8sSharp.Scheduler.Plugins;
using K8sSharp.Scheduler.Scheduling;

namespace K8sSharp.Scheduler.Tests;

/// <summary>Records the scheduler's API writes (the process edge) instead of sending them.</summary>
internal sealed class FakeSchedulerApi : ISchedulerApi
{
    public ConcurrentDictionary<string, string> Bindings { get; } = new();

    public ConcurrentQueue<(string Pod, V1PodCondition Condition, string? Nominated)> Statuses { get; } = new();

    public ConcurrentQueue<string> Preempted { get; } = new();

    public ConcurrentQueue<(string Pod, string Type, string Reason, string Message)> Events { get; } = new();

    public Func<V1Pod, Exception?> BindFailure { get; set; } = _ => null;

    public Task BindAsync(V1Pod pod, string node, CancellationToken cancellationToken)
    {
        if (BindFailure(pod) is { } failure)
        {
            throw failure;
        }
        Bindings[pod.Metadata.Name] = node;
        return Task.CompletedTask;
    }

    public Task UpdateStatusAsync(V1Pod pod, V1PodCondition condition, string? nominatedNode, CancellationToken cancellationToken)
    {
        Statuses.Enqueue((pod.Metadata.Name, condition, nominatedNode));
        return Task.CompletedTask;
    }

    public ConcurrentQueue<string> ClearedNominations { get; } = new();

    public Task ClearNominatedNodeAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ClearedNominations.Enqueue(pod.Metadata.Name);
        return Task.CompletedTask;
    }

    public Task PreemptAsync(V1Pod victim, V1PodCondition disruption, CancellationToken cancellationToken)
    {
        Preempted.Enqueue(victim.Metadata.Name);
        return Task.CompletedTask;
    }

    public Task SelectNodeForClaimAsync(V1PersistentVolumeClaim claim, string node, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Event(V1Pod pod, string type, string reason, string message) => Events.Enqueue((pod.Metadata.Name, type, reason, message));
}

/// <summary>No claims, volumes or classes.</summary>
internal sealed class NoVolumes : IVolumeLookup
{
    public V1PersistentVolumeClaim? Claim(string ns, string name) => null;

    public V1PersistentVolume? Volume(string name) => null;

    public V1StorageClass? Class(string name) => null;
}
