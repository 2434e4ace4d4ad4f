using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;

namespace K8sSharp.Client.Tests.Integration;

public sealed class InformerIntegrationTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();
    private readonly ConcurrentQueue<string> log = new();

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    private static V1ConfigMap Map(string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "t" } },
        Data = new Dictionary<string, string> { ["k"] = value },
    };

    private Informer<V1ConfigMap> NewInformer(IKubernetes client)
    {
        var informer = new Informer<V1ConfigMap>(ListWatchers.For<V1ConfigMap>(client, "default"),
            new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500) });
        informer.AddEventHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnAdd = o => log.Enqueue("add " + o.Metadata.Name),
            OnUpdate = (o, n) => log.Enqueue($"update {n.Metadata.Name} {o.Data?["k"]}->{n.Data?["k"]}"),
            OnDelete = o => log.Enqueue("delete " + o.Metadata.Name),
        });
        return informer;
    }

    [Fact]
    public async Task A_scoped_list_watcher_sees_only_objects_matching_its_selectors()
    {
        var client = server.Client;
        var other = Map("other", "0");
        other.Metadata.Labels["app"] = "u";
        await client.CoreV1.CreateNamespacedConfigMapAsync(other, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("listed", "0"), "default");
        var informer = new Informer<V1ConfigMap>(ListWatchers.For<V1ConfigMap>(client, new ListScope("default", "app=t", "metadata.name!=skipped")));
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => informer.HasSynced, "the informer synced");

        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("skipped", "0"), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("watched", "0"), "default");
        await Eventually.TrueAsync(() => informer.Lister.Get("default", "watched") is not null, "the watch delivered the new match");

        informer.Lister.List().Select(o => o.Metadata.Name).Order().Should().Equal("listed", "watched");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Informer_sees_adds_updates_and_deletes_and_the_lister_follows()
    {
        var client = server.Client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("before", "0"), "default");
        var informer = NewInformer(client);
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => informer.HasSynced, "the informer synced");
        informer.Lister.Get("default", "before").Should().NotBeNull();

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Map("cm", "1"), "default");
        created.Data["k"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cm", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("before", "default");
        await Eventually.TrueAsync(() => log.Contains("delete before"), "the delete arrived");

        log.Should().ContainInOrder("add before", "add cm", "update cm 1->2", "delete before");
        informer.Lister.Get("default", "cm")!.Data["k"].Should().Be("2");
        informer.Lister.Get("default", "before").Should().BeNull();
        informer.Lister.List("default", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "t" } })
            .Select(o => o.Metadata.Name).Should().Equal("cm");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Informer_relists_after_the_server_restarts_and_reports_what_vanished()
    {
        var client = server.NewClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("old", "1"), "default");
        var informer = NewInformer(client);
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => informer.HasSynced, "the informer synced");

        await server.RestartAsync();
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("new", "1"), "default");

        await Eventually.TrueAsync(() => informer.Lister.Get("default", "new") is not null, "the informer relisted the new server", seconds: 20);
        await Eventually.TrueAsync(() => log.Contains("delete old"), "the vanished object got a tombstone OnDelete", seconds: 20);
        informer.Lister.Get("default", "old").Should().BeNull();
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        client.Dispose();
    }

    [Fact]
    public async Task Shared_factory_hands_out_one_informer_per_type_and_waits_for_sync()
    {
        await using var factory = new SharedInformerFactory();
        var first = factory.GetOrAdd(() => ListWatchers.For<V1ConfigMap>(server.Client));
        var second = factory.GetOrAdd(() => ListWatchers.For<V1ConfigMap>(server.Client, "other"));
        var namespaces = factory.GetOrAdd(() => ListWatchers.For<V1Namespace>(server.Client));
        second.Should().BeSameAs(first);

        factory.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await factory.WaitForCacheSyncAsync(timeout.Token)).Should().BeTrue();
        namespaces.Lister.Get(null, "kube-system").Should().NotBeNull();
    }
}
