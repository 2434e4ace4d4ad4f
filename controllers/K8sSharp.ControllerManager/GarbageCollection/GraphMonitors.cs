using k8s;
using K8sSharp.Client.Dynamic;
using K8sSharp.Client.Informers;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.GarbageCollection;

/// <summary>
/// One metadata informer per deletable resource (upstream's GraphBuilder monitors), feeding the
/// <see cref="DependencyGraph"/>. Resources are found through discovery, every one that supports delete, list and
/// watch except events (as upstream ignores them); <see cref="SyncAsync"/> is called again periodically so resources
/// that appear later (new API groups, CRDs) are watched too, and monitors of resources that went away are stopped.
/// </summary>
internal sealed partial class GraphMonitors(IKubernetes client, DependencyGraph graph, Action<GraphWork> enqueue, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private static readonly HashSet<(string Group, string Resource)> Ignored = [("", "events"), ("events.k8s.io", "events")];

    private readonly Dictionary<GroupVersionResource, Monitor> monitors = [];
    private readonly object gate = new();

    /// <summary>The resources as last discovered; owner references are resolved against them.</summary>
    public DiscoveredResources Resources { get; private set; } = new([]);

    public bool HasSynced
    {
        get
        {
            lock (gate)
            {
                return monitors.Values.All(m => m.Informer.HasSynced);
            }
        }
    }

    /// <summary>Discovers resources and starts or stops monitors to match.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var discovered = await DiscoveredResources.DiscoverAsync(client, cancellationToken);
        Resources = discovered;
        var wanted = discovered.All
            .Where(r => r.Supports("delete", "list", "watch") && !Ignored.Contains((r.Resource.Group, r.Resource.Resource)))
            .ToDictionary(r => r.Resource);
        lock (gate)
        {
            foreach (var gone in monitors.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
            {
                monitors.Remove(gone, out var monitor);
                monitor!.Stop.Cancel();
                LogStopped(logger, gone.ToString());
            }
            foreach (var resource in wanted.Values.Where(r => !monitors.ContainsKey(r.Resource)))
            {
                monitors[resource.Resource] = Start(resource, cancellationToken);
            }
        }
    }

    private Monitor Start(DiscoveredResource resource, CancellationToken cancellationToken)
    {
        var listWatcher = new ResourceListWatcher<PartialObjectMetadata>(client, resource.Resource, accept: ResourceClient.MetadataListAccept);
        var informer = new Informer<PartialObjectMetadata>(listWatcher, time: time, logger: logger);
        informer.AddEventHandler(new ResourceEventHandler<PartialObjectMetadata>
        {
            OnAdd = obj => enqueue(graph.Observe(GraphNode.From(resource, obj.Metadata))),
            OnUpdate = (_, obj) => enqueue(graph.Observe(GraphNode.From(resource, obj.Metadata))),
            OnDelete = obj => enqueue(graph.Forget(obj.Metadata.Uid)),
        });
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => informer.RunAsync(stop.Token), CancellationToken.None);
        return new Monitor(informer, stop, run);
    }

    public async ValueTask DisposeAsync()
    {
        Monitor[] all;
        lock (gate)
        {
            all = [.. monitors.Values];
            monitors.Clear();
        }
        foreach (var monitor in all)
        {
            await monitor.Stop.CancelAsync();
        }
        await Task.WhenAll(all.Select(m => m.Run));
        foreach (var monitor in all)
        {
            monitor.Stop.Dispose();
        }
    }

    private sealed record Monitor(Informer<PartialObjectMetadata> Informer, CancellationTokenSource Stop, Task Run);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "garbage collector: stopped monitoring {Resource} (no longer served)")]
    private static partial void LogStopped(ILogger logger, string resource);
}
