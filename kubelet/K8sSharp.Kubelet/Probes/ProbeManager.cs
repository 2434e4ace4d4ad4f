using System.Collections.Concurrent;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Probes;

/// <summary>
/// Runs the liveness, readiness and startup probes of running containers (pkg/kubelet/prober): one worker per
/// (container id, probe kind), started by the pod sync for the newest running container of each spec container and
/// stopped once that container is no longer the one running. Liveness and readiness wait until startup succeeded;
/// startup stops probing once it did; a liveness or startup failure stops its worker (the container gets restarted,
/// and the new container gets new workers). Every failed attempt is an Unhealthy event; every change of a published
/// result asks for a pod sync through <c>onChange(podKey)</c>.
/// </summary>
internal sealed partial class ProbeManager(Handlers handlers, IPodEvents events, TimeProvider time, ILogger logger, Action<string> onChange) : IDisposable
{
    private readonly ConcurrentDictionary<string, Worker> workers = new(StringComparer.Ordinal);

    /// <summary>Ensures workers for the pod's running containers and stops those of containers that are gone.</summary>
    public void Sync(V1Pod pod, PodRuntimeState state, string podIp)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(state);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var key = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        var specs = pod.Spec.Containers.Concat((pod.Spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        foreach (var container in specs)
        {
            if (state.Latest(container.Name) is not { Running: true } running)
            {
                continue;
            }
            foreach (var (kind, probe) in ProbesOf(container))
            {
                var workerKey = WorkerKey(running.Id, kind);
                wanted.Add(workerKey);
                var startedAt = running.StartedAt is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : time.GetUtcNow();
                workers.GetOrAdd(workerKey, _ => Worker.Start(this, pod, key, container, running.Id, startedAt, kind, probe, podIp));
            }
        }
        foreach (var (workerKey, worker) in workers)
        {
            if (worker.PodUid == pod.Metadata.Uid && !wanted.Contains(workerKey) && workers.TryRemove(workerKey, out _))
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>Ready when running and, if it has a readiness probe, that probe succeeded (and startup finished).</summary>
    public bool IsReady(string containerId) =>
        IsStarted(containerId) && (!workers.TryGetValue(WorkerKey(containerId, ProbeKind.Readiness), out var w) || w.State.Success);

    /// <summary>Started when it has no startup probe or that probe succeeded.</summary>
    public bool IsStarted(string containerId) =>
        !workers.TryGetValue(WorkerKey(containerId, ProbeKind.Startup), out var w) || w.State.Success;

    /// <summary>The failure that requires a restart (liveness or startup failed past its threshold), or null.</summary>
    public ProbeKind? FailedProbe(string containerId)
    {
        foreach (var kind in new[] { ProbeKind.Liveness, ProbeKind.Startup })
        {
            if (workers.TryGetValue(WorkerKey(containerId, kind), out var w) && w.State.Failed)
            {
                return kind;
            }
        }
        return null;
    }

    public void RemovePod(string podUid)
    {
        foreach (var (workerKey, worker) in workers)
        {
            if (worker.PodUid == podUid && workers.TryRemove(workerKey, out _))
            {
                worker.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var worker in workers.Values)
        {
            worker.Dispose();
        }
        workers.Clear();
    }

    private static string WorkerKey(string containerId, ProbeKind kind) => containerId + "/" + kind;

    private static IEnumerable<(ProbeKind, V1Probe)> ProbesOf(V1Container container)
    {
        if (container.StartupProbe is { } startup)
        {
            yield return (ProbeKind.Startup, startup);
        }
        if (container.LivenessProbe is { } liveness)
        {
            yield return (ProbeKind.Liveness, liveness);
        }
        if (container.ReadinessProbe is { } readiness)
        {
            yield return (ProbeKind.Readiness, readiness);
        }
    }

    /// <summary>One probe loop for one container.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly CancellationTokenSource stop = new();

        private Worker(V1Pod pod, V1Container container, V1Probe probe, ProbeKind kind)
        {
            Pod = pod;
            Container = container;
            Probe = probe;
            State = new ProbeState(probe, kind);
        }

        public V1Pod Pod { get; }

        public string PodUid => Pod.Metadata.Uid;

        public V1Container Container { get; }

        public V1Probe Probe { get; }

        public ProbeState State { get; }

        public static Worker Start(
            ProbeManager manager, V1Pod pod, string podKey, V1Container container, string containerId, DateTimeOffset startedAt, ProbeKind kind, V1Probe probe, string podIp)
        {
            var worker = new Worker(pod, container, probe, kind);
            var target = new HandlerTarget(container, containerId, podIp);
            _ = Task.Run(() => manager.RunAsync(worker, podKey, target, startedAt, worker.stop.Token));
            return worker;
        }

        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    private async Task RunAsync(Worker worker, string podKey, HandlerTarget target, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var state = worker.State;
        try
        {
            var firstRun = startedAt + state.InitialDelay - time.GetUtcNow();
            if (firstRun > TimeSpan.Zero)
            {
                await Task.Delay(firstRun, time, cancellationToken);
            }
            while (!cancellationToken.IsCancellationRequested)
            {
                if (state.Kind != ProbeKind.Startup && !IsStarted(target.ContainerId))
                {
                    await Task.Delay(state.Period, time, cancellationToken);
                    continue;
                }
                var result = await handlers.ProbeAsync(worker.Probe, target, state.Timeout, cancellationToken);
                if (!result.Success)
                {
                    events.Emit(worker.Pod, worker.Container.Name, EventTypes.Warning, Reasons.Unhealthy, $"{state.Kind} probe failed: {result.Message}");
                }
                if (state.Record(result.Success))
                {
                    LogResult(logger, state.Kind, podKey, worker.Container.Name, state.Success);
                    onChange(podKey);
                }
                if (state.Failed && state.Kind != ProbeKind.Readiness || state.Kind == ProbeKind.Startup && state.Success)
                {
                    return; // on hold until the container is replaced, or startup is done
                }
                await Task.Delay(state.Period, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "{Kind} probe of {Pod} container {Container}: success={Success}")]
    private static partial void LogResult(ILogger logger, ProbeKind kind, string pod, string container, bool success);
}
