using System.Net;
using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.Proxy.Dns;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Proxy.Tests;

/// <summary>The kube-dns Service and EndpointSlice, server-side applied against our real API server in-process.</summary>
public sealed class KubeDnsRegistrationTests : IAsyncLifetime
{
    private readonly ApiServerHarness api = new();
    private KubeDnsRegistration registration = null!;
    private Informer<V1EndpointSlice> slices = null!;

    public async Task InitializeAsync()
    {
        await api.InitializeAsync();
        var services = api.Informers.GetOrAdd(() => ListWatchers.For<V1Service>(api.Client));
        slices = api.Informers.GetOrAdd(() => ListWatchers.For<V1EndpointSlice>(api.Client));
        await api.StartInformersAsync();
        registration = new KubeDnsRegistration(api.Client, services.Lister, slices.Lister, "node-a", IPAddress.Parse("10.96.0.10"),
            NullLogger<KubeDnsRegistration>.Instance);
    }

    public Task DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task Creates_the_service_and_a_slice_pointing_at_the_dns_server_then_leaves_them_alone()
    {
        var dns = new IPEndPoint(IPAddress.Parse("192.0.2.77"), 50953);

        await registration.EnsureAsync(dns, CancellationToken.None);

        var service = await api.Client.CoreV1.ReadNamespacedServiceAsync("kube-dns", "kube-system");
        service.Spec.ClusterIP.Should().Be("10.96.0.10");
        service.Spec.Selector.Should().BeNullOrEmpty("the slice is ours, not the EndpointSlice controller's");
        service.Metadata.Labels.Should().Contain("k8s-app", "kube-dns");
        service.Spec.Ports.Select(p => $"{p.Name} {p.Port}/{p.Protocol} -> {p.TargetPort.Value}")
            .Should().Equal("dns 53/UDP -> 50953", "dns-tcp 53/TCP -> 50953");
        service.Metadata.ManagedFields.Should().Contain(f => f.Manager == "k8ssharp-proxy" && f.Operation == "Apply");

        var slice = await api.Client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("kube-dns-node-a", "kube-system");
        slice.Metadata.Labels.Should().Contain("kubernetes.io/service-name", "kube-dns").And.Contain("endpointslice.kubernetes.io/managed-by", "k8ssharp-proxy");
        slice.Endpoints.Should().ContainSingle().Which.Addresses.Should().Equal("192.0.2.77");
        slice.Ports.Select(p => $"{p.Name} {p.Port}/{p.Protocol}").Should().Equal("dns 50953/UDP", "dns-tcp 50953/TCP");

        await Eventually.TrueAsync(() => slices.Lister.Get("kube-system", "kube-dns-node-a") is not null, "the informer saw the slice");
        await registration.EnsureAsync(dns, CancellationToken.None);
        (await api.Client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("kube-dns-node-a", "kube-system")).Metadata.ResourceVersion
            .Should().Be(slice.Metadata.ResourceVersion, "an up-to-date slice is not written again");
    }

    [Fact]
    public async Task A_slice_that_drifted_is_restored()
    {
        var dns = new IPEndPoint(IPAddress.Parse("192.0.2.77"), 50953);
        await registration.EnsureAsync(dns, CancellationToken.None);
        await api.Client.DiscoveryV1.PatchNamespacedEndpointSliceAsync(
            new V1Patch("""{"endpoints":[{"addresses":["192.0.2.99"]}]}""", V1Patch.PatchType.MergePatch), "kube-dns-node-a", "kube-system");
        await Eventually.TrueAsync(
            () => slices.Lister.Get("kube-system", "kube-dns-node-a")?.Endpoints?.SingleOrDefault()?.Addresses?.SingleOrDefault() == "192.0.2.99",
            "the informer saw the drift");

        await registration.EnsureAsync(dns, CancellationToken.None);

        var slice = await api.Client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("kube-dns-node-a", "kube-system");
        slice.Endpoints.Should().ContainSingle().Which.Addresses.Should().Equal("192.0.2.77");
    }
}
