using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.Client.Tests.Integration;

namespace K8sSharp.Client.Tests.Informers;

/// <summary>
/// The reflector's reaction to a 410 Expired watch ERROR, driven by a scripted list/watch (the process edge),
/// since our API server cannot be made to expire a resourceVersion on demand.
/// </summary>
public class InformerRelistTests
{
    private static V1ConfigMap Map(string name, string rv) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = "default", Name = name, ResourceVersion = rv } };

    [Fact]
    public async Task Expired_watch_relists_and_objects_gone_in_between_get_OnDelete()
    {
        var script = new ScriptedListWatcher();
        script.Lists.Enqueue([Map("a", "1"), Map("b", "2")]);
        script.Lists.Enqueue([Map("b", "7"), Map("c", "8")]);
        var informer = new Informer<V1ConfigMap>(script, new InformerOptions { PageSize = 1, InitialBackoff = TimeSpan.FromMilliseconds(1) });
        var log = new List<string>();
        informer.AddEventHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnAdd = o => log.Add("add " + o.Metadata.Name),
            OnUpdate = (o, n) => log.Add($"update {n.Metadata.Name} {o.Metadata.ResourceVersion}->{n.Metadata.ResourceVersion}"),
            OnDelete = o => log.Add("delete " + o.Metadata.Name),
        });
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);

        await Eventually.TrueAsync(() => informer.HasSynced, "the first list is stored");
        script.WatchResourceVersions.Should().ContainSingle().Which.Should().Be("2");
        await script.Events.Writer.WriteAsync((WatchEventType.Bookmark, Map("", "5")));
        await script.Events.Writer.WriteAsync((WatchEventType.Modified, Map("a", "6")));
        await Eventually.TrueAsync(() => informer.LastSyncResourceVersion == "6", "events advance the resourceVersion");
        script.Expire();
        await Eventually.TrueAsync(() => log.Contains("delete a"), "the relist drops the vanished object");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        log.Should().Equal("add a", "add b", "update a 1->6", "update b 2->7", "add c", "delete a");
        informer.Lister.List().Select(o => o.Metadata.Name).Should().BeEquivalentTo("b", "c");
        script.ListCalls.Should().Be(4, "both lists are read in pages of one item");
    }

    private sealed class ScriptedListWatcher : IListWatcher<V1ConfigMap>
    {
        private Action<Exception>? onError;

        public Queue<List<V1ConfigMap>> Lists { get; } = new();

        public Channel<(WatchEventType, V1ConfigMap)> Events { get; private set; } = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();

        public List<string> WatchResourceVersions { get; } = [];

        public int ListCalls { get; private set; }

        private List<V1ConfigMap> current = [];

        public Task<ListPage<V1ConfigMap>> ListAsync(int limit, string? continueToken, CancellationToken cancellationToken)
        {
            ListCalls++;
            if (continueToken is null)
            {
                current = Lists.Dequeue();
            }
            var offset = continueToken is null ? 0 : int.Parse(continueToken);
            var items = current.Skip(offset).Take(limit).ToList();
            var next = offset + limit < current.Count ? (offset + limit).ToString() : null;
            return Task.FromResult(new ListPage<V1ConfigMap>(items, current.Max(o => o.Metadata.ResourceVersion)!, next));
        }

        public async IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
            string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            WatchResourceVersions.Add(resourceVersion);
            this.onError = onError;
            await foreach (var e in Events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return e;
            }
        }

        /// <summary>Sends the 410 ERROR event the way KubernetesClient reports it, then closes the stream.</summary>
        public void Expire()
        {
            var closing = Events;
            Events = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
            onError!(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version: 6 (100)" }));
            closing.Writer.Complete();
        }
    }
}
