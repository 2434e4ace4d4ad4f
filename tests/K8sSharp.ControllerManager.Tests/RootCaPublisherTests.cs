using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.RootCa;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

public sealed class RootCaPublisherTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();
    private RootCaPublisher publisher = null!;
    private string ca = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        ca = ClusterCa.FromKubeconfig(server.KubeconfigPath);
        publisher = new RootCaPublisher(server.Client, ca, TimeProvider.System, NullLogger.Instance);
        publisher.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public void The_published_bundle_is_the_PEM_of_the_kubeconfig_CA()
    {
        ca.Should().StartWith("-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public async Task Reconcile_publishes_the_CA_with_the_upstream_annotation()
    {
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await server.StartInformersAsync();

        await publisher.ReconcileAsync("team-a", CancellationToken.None);

        var cm = await server.Client.CoreV1.ReadNamespacedConfigMapAsync("kube-root-ca.crt", "team-a");
        cm.Data.Should().Equal(new Dictionary<string, string> { ["ca.crt"] = ca });
        cm.Metadata.Annotations["kubernetes.io/description"].Should().StartWith("Contains a CA bundle that can be used to verify the kube-apiserver");
    }

    [Fact]
    public async Task Reconcile_restores_an_edited_config_map_and_keeps_its_labels()
    {
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-b" } });
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "kube-root-ca.crt", Labels = new Dictionary<string, string> { ["keep"] = "me" } },
            Data = new Dictionary<string, string> { ["ca.crt"] = "tampered", ["extra"] = "x" },
        }, "team-b");
        await server.StartInformersAsync();

        await publisher.ReconcileAsync("team-b", CancellationToken.None);

        var cm = await server.Client.CoreV1.ReadNamespacedConfigMapAsync("kube-root-ca.crt", "team-b");
        cm.Data.Should().Equal(new Dictionary<string, string> { ["ca.crt"] = ca });
        cm.Metadata.Labels["keep"].Should().Be("me");
        cm.Metadata.Annotations.Should().ContainKey("kubernetes.io/description");
    }
}
