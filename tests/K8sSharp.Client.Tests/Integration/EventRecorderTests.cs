using k8s;
using k8s.Models;
using K8sSharp.Client.Events;

namespace K8sSharp.Client.Tests.Integration;

public sealed class EventRecorderTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task Events_are_listable_by_involved_object_and_repeats_aggregate()
    {
        var client = server.Client;
        var map = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "subject", NamespaceProperty = "default" } }, "default");
        await using (var recorder = new EventRecorder(client, "test-controller", "host-1"))
        {
            recorder.Event(map, EventTypes.Normal, "Synced", "synced ok");
            recorder.Event(map, EventTypes.Normal, "Synced", "synced ok");
            recorder.Event(map, EventTypes.Normal, "Synced", "synced ok");
            recorder.Event(map, EventTypes.Warning, "Failed", "boom");
        }

        var events = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=subject");
        events.Items.Should().HaveCount(2);
        var synced = events.Items.Single(e => e.Reason == "Synced");
        synced.Count.Should().Be(3);
        synced.Type.Should().Be("Normal");
        synced.Message.Should().Be("synced ok");
        synced.Source.Component.Should().Be("test-controller");
        synced.InvolvedObject.Kind.Should().Be("ConfigMap");
        synced.InvolvedObject.ApiVersion.Should().Be("v1");
        synced.InvolvedObject.Uid.Should().Be(map.Metadata.Uid);
        synced.FirstTimestamp.Should().NotBeNull();
        synced.LastTimestamp.Should().BeOnOrAfter(synced.FirstTimestamp!.Value);
        synced.Metadata.Name.Should().StartWith("subject.");
        events.Items.Single(e => e.Reason == "Failed").Type.Should().Be("Warning");

        var unrelated = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=other");
        unrelated.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Recording_never_throws_even_when_the_server_rejects_the_event()
    {
        var ghost = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ghost", NamespaceProperty = "no-such-namespace" } };
        await using var recorder = new EventRecorder(server.Client, "test-controller");
        FluentActions.Invoking(() => recorder.Event(ghost, EventTypes.Normal, "R", "m")).Should().NotThrow();
        FluentActions.Invoking(() => recorder.Event(null!, EventTypes.Normal, "R", "m")).Should().NotThrow();
    }
}
