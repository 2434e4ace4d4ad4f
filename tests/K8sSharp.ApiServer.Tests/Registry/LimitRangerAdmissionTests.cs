using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Storage;
using Microsoft.Extensions.Time.Testing;
using static K8sSharp.ApiServer.Tests.Registry.ResourceQuotaAdmissionTests;

namespace K8sSharp.ApiServer.Tests.Registry;

/// <summary>LimitRanger admission through the real store: defaults, constraints and their order before quota.</summary>
public sealed class LimitRangerAdmissionTests : IAsyncDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage storage = new();
    private StoreRegistry registry = null!;

    public ValueTask DisposeAsync() => storage.DisposeAsync();

    private ResourceStore Store(string resource) => registry.For(ApiCatalog.BuiltIn.Find("", "v1", resource)!);

    private async Task InitAsync(string limits)
    {
        registry = new StoreRegistry(ApiCatalog.BuiltIn, storage, time);
        await registry.Namespaces.CreateAsync(null, Parse("""{"metadata":{"name":"ns"}}"""), new WriteOptions(), CancellationToken.None);
        await Store("limitranges").CreateAsync("ns", Parse("""{"metadata":{"name":"limits"},"spec":{"limits":""" + limits + "}}"), new WriteOptions(), CancellationToken.None);
    }

    private Task<JsonObject> CreatePodAsync(string resources) =>
        Store("pods").CreateAsync("ns", Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"web","image":"busybox:1.36","resources":""" + resources + "}]}}"),
            new WriteOptions(), CancellationToken.None);

    [Fact]
    public async Task ContainerDefaultsFillMissingLimitsAndRequests()
    {
        await InitAsync("""[{"type":"Container","default":{"cpu":"500m","memory":"128Mi"},"defaultRequest":{"cpu":"100m"}}]""");

        var pod = await CreatePodAsync("""{"limits":{"memory":"64Mi"}}""");

        var resources = pod["spec"]!["containers"]![0]!["resources"]!;
        resources["limits"]!.ToJsonString().Should().Be("""{"memory":"64Mi","cpu":"500m"}""");
        ((string?)resources["requests"]!["cpu"]).Should().Be("100m");
        ((string?)resources["requests"]!["memory"]).Should().Be("64Mi", "the request defaulted to the pod's own limit (the LimitRange's defaultRequest is its default, 128Mi, only where no request exists)");
        ((string?)pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]).Should().Be("LimitRanger plugin set: cpu request for container web; cpu limit for container web");
        ((string?)pod["status"]!["qosClass"]).Should().Be("Burstable");
    }

    [Fact]
    public async Task TheLimitRangeDefaultsADefaultRequestFromItsDefault()
    {
        await InitAsync("""[{"type":"Container","default":{"cpu":"300m"}}]""");

        var stored = await Store("limitranges").GetAsync("ns", "limits", CancellationToken.None);

        stored["spec"]!["limits"]![0]!["defaultRequest"]!.ToJsonString().Should().Be("""{"cpu":"300m"}""");
    }

    [Fact]
    public async Task AContainerAboveTheMaxIsForbidden()
    {
        await InitAsync("""[{"type":"Container","max":{"cpu":"1"}}]""");

        var create = () => CreatePodAsync("""{"limits":{"cpu":"2"}}""");

        var error = (await create.Should().ThrowAsync<ApiException>()).Which;
        error.Code.Should().Be(403);
        error.Message.Should().Be("pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
    }

    [Fact]
    public async Task PodMinAndRatioViolationsAreAllListed()
    {
        await InitAsync("""[{"type":"Pod","min":{"memory":"1Gi"}},{"type":"Container","maxLimitRequestRatio":{"cpu":"2"}}]""");

        var create = () => CreatePodAsync("""{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"1","memory":"64Mi"}}""");

        (await create.Should().ThrowAsync<ApiException>()).Which.Message.Should().Be("pods \"p\" is forbidden: ["
            + "minimum memory usage per Pod is 1Gi, but request is 64Mi, "
            + "cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000]");
    }

    [Fact]
    public async Task AClaimAboveTheMaxStorageIsForbidden()
    {
        await InitAsync("""[{"type":"PersistentVolumeClaim","max":{"storage":"1Gi"}}]""");

        var create = () => Store("persistentvolumeclaims").CreateAsync("ns",
            Parse("""{"metadata":{"name":"big"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}}}"""),
            new WriteOptions(), CancellationToken.None);

        (await create.Should().ThrowAsync<ApiException>()).Which.Message
            .Should().Be("persistentvolumeclaims \"big\" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 5Gi");
    }

    [Fact]
    public async Task DefaultsAreAppliedBeforeQuotaIsEvaluated()
    {
        await InitAsync("""[{"type":"Container","default":{"cpu":"200m"},"defaultRequest":{"cpu":"200m"}}]""");
        var quotas = Store("resourcequotas");
        await quotas.CreateAsync("ns", Parse("""{"metadata":{"name":"cpu"},"spec":{"hard":{"requests.cpu":"1"}}}"""), new WriteOptions(), CancellationToken.None);
        await quotas.GuaranteedUpdateAsync("ns", "cpu", 0, false, new StatusStrategy(quotas.Strategy), q =>
        {
            q["status"] = Parse("""{"hard":{"requests.cpu":"1"},"used":{"requests.cpu":"0"}}""");
            return q;
        }, CancellationToken.None);

        await CreatePodAsync("{}");

        var used = (await quotas.GetAsync("ns", "cpu", CancellationToken.None))["status"]!["used"]!;
        ((string?)used["requests.cpu"]).Should().Be("200m");
    }
}
