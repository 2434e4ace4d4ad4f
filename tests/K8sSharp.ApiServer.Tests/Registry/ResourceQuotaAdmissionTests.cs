using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ApiServer.Tests.Registry;

/// <summary>ResourceQuota admission through the real store (in-memory storage): charging, messages, races.</summary>
public sealed class ResourceQuotaAdmissionTests : IAsyncDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorage storage = new();
    private StoreRegistry registry = null!;

    public ValueTask DisposeAsync() => storage.DisposeAsync();

    private async Task InitAsync()
    {
        registry = new StoreRegistry(ApiCatalog.BuiltIn, storage, time);
        await registry.Namespaces.CreateAsync(null, Parse("""{"metadata":{"name":"ns"}}"""), new WriteOptions(), CancellationToken.None);
    }

    internal static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private ResourceStore Store(string resource) => registry.For(ApiCatalog.BuiltIn.Find("", "v1", resource)!);

    /// <summary>A quota whose status the controller has already written: hard from the spec, used as given.</summary>
    private async Task CreateQuotaAsync(string name, string hard, string used, string extraSpec = "")
    {
        var store = Store("resourcequotas");
        await store.CreateAsync("ns", Parse("""{"metadata":{"name":""" + $"\"{name}\"" + """},"spec":{"hard":""" + hard + extraSpec + "}}"), new WriteOptions(), CancellationToken.None);
        await store.GuaranteedUpdateAsync("ns", name, 0, false, new StatusStrategy(store.Strategy), q =>
        {
            q["status"] = Parse("""{"hard":""" + hard + ""","used":""" + used + "}");
            return q;
        }, CancellationToken.None);
    }

    private Task<JsonObject> CreatePodAsync(string name, string resources = "{}") =>
        Store("pods").CreateAsync("ns", Parse("""{"metadata":{"name":""" + $"\"{name}\"" + """},"spec":{"containers":[{"name":"c","image":"busybox:1.36","resources":""" + resources + "}]}}"),
            new WriteOptions(), CancellationToken.None);

    private async Task<JsonObject> UsedAsync(string quota) => (await Store("resourcequotas").GetAsync("ns", quota, CancellationToken.None))["status"]!["used"]!.AsObject();

    [Fact]
    public async Task ACreateWithinTheQuotaRaisesItsUsage()
    {
        await InitAsync();
        await CreateQuotaAsync("compute", """{"pods":"2","requests.cpu":"1"}""", """{"pods":"0","requests.cpu":"0"}""");

        await CreatePodAsync("a", """{"requests":{"cpu":"300m"}}""");

        (await UsedAsync("compute")).ToJsonString().Should().Be("""{"pods":"1","requests.cpu":"300m"}""");
    }

    [Fact]
    public async Task ACreateOverTheQuotaIsForbiddenWithUpstreamsMessage()
    {
        await InitAsync();
        await CreateQuotaAsync("pod-count", """{"pods":"2"}""", """{"pods":"2"}""");

        var create = () => CreatePodAsync("third");

        var error = (await create.Should().ThrowAsync<ApiException>()).Which;
        error.Code.Should().Be(403);
        error.Message.Should().Be("pods \"third\" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2");
        (await UsedAsync("pod-count")).ToJsonString().Should().Be("""{"pods":"2"}""");
    }

    [Fact]
    public async Task APodWithoutTheRequestACpuQuotaTracksIsForbidden()
    {
        await InitAsync();
        await CreateQuotaAsync("compute", """{"requests.cpu":"1","requests.memory":"1Gi"}""", """{"requests.cpu":"0","requests.memory":"0"}""");

        var create = () => CreatePodAsync("bare");

        (await create.Should().ThrowAsync<ApiException>()).Which.Message
            .Should().Be("pods \"bare\" is forbidden: failed quota: compute: must specify requests.cpu for: c; requests.memory for: c");
    }

    [Fact]
    public async Task AQuotaWithoutUsageStatsForbidsUntilTheControllerFillsThem()
    {
        await InitAsync();
        await Store("resourcequotas").CreateAsync("ns", Parse("""{"metadata":{"name":"fresh"},"spec":{"hard":{"configmaps":"3"}},"status":{"hard":{"configmaps":"3"}}}"""),
            new WriteOptions(), CancellationToken.None);
        var store = Store("resourcequotas");
        await store.GuaranteedUpdateAsync("ns", "fresh", 0, false, new StatusStrategy(store.Strategy), q =>
        {
            q["status"] = Parse("""{"hard":{"configmaps":"3"}}""");
            return q;
        }, CancellationToken.None);

        var create = () => Store("configmaps").CreateAsync("ns", Parse("""{"metadata":{"name":"cm"}}"""), new WriteOptions(), CancellationToken.None);

        (await create.Should().ThrowAsync<ApiException>()).Which.Message
            .Should().Be("configmaps \"cm\" is forbidden: status unknown for quota: fresh, resources: configmaps");
    }

    [Fact]
    public async Task TwoCreatesRacingForTheLastSlotOnlyOneSucceeds()
    {
        await InitAsync();
        await CreateQuotaAsync("pod-count", """{"pods":"2"}""", """{"pods":"1"}""");

        // Separate registries over the same storage, as two API servers: nothing in-process serialises them.
        var other = new StoreRegistry(ApiCatalog.BuiltIn, storage, time);
        var results = await Task.WhenAll(
            Attempt(() => CreatePodAsync("left")),
            Attempt(() => other.For(ApiCatalog.BuiltIn.Find("", "v1", "pods")!).CreateAsync("ns",
                Parse("""{"metadata":{"name":"right"},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}"""), new WriteOptions(), CancellationToken.None)));

        results.Count(r => r is null).Should().Be(1);
        results.Single(r => r is not null)!.Message.Should().Contain("exceeded quota: pod-count");
        (await UsedAsync("pod-count")).ToJsonString().Should().Be("""{"pods":"2"}""");
    }

    private static async Task<ApiException?> Attempt(Func<Task<JsonObject>> create)
    {
        try
        {
            await create();
            return null;
        }
        catch (ApiException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task ScopedQuotasOnlyChargeThePodsInTheirScope()
    {
        await InitAsync();
        await CreateQuotaAsync("best-effort", """{"pods":"1"}""", """{"pods":"1"}""", ""","scopes":["BestEffort"]""");

        await CreatePodAsync("burstable", """{"requests":{"cpu":"100m"}}""");
        var create = () => CreatePodAsync("best-effort-pod");

        (await create.Should().ThrowAsync<ApiException>()).Which.Message.Should().Contain("exceeded quota: best-effort");
    }

    [Fact]
    public async Task ChangingAServiceToNodePortChargesItsNodePorts()
    {
        await InitAsync();
        await CreateQuotaAsync("ports", """{"services.nodeports":"0","services":"5"}""", """{"services.nodeports":"0","services":"0"}""");
        var services = Store("services");
        await services.CreateAsync("ns", Parse("""{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}"""), new WriteOptions(), CancellationToken.None);

        var update = () => services.GuaranteedUpdateAsync("ns", "web", 0, false, services.Strategy, s =>
        {
            s["spec"]!["type"] = "NodePort";
            return s;
        }, CancellationToken.None);

        (await update.Should().ThrowAsync<ApiException>()).Which.Message
            .Should().Be("services \"web\" is forbidden: exceeded quota: ports, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0");
        (await UsedAsync("ports")).ToJsonString().Should().Be("""{"services":"1","services.nodeports":"0"}""");
    }

    [Fact]
    public async Task DryRunChecksButChargesNothing()
    {
        await InitAsync();
        await CreateQuotaAsync("pod-count", """{"pods":"2"}""", """{"pods":"0"}""");

        await Store("pods").CreateAsync("ns", Parse("""{"metadata":{"name":"dry"},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}"""),
            new WriteOptions(DryRun: true), CancellationToken.None);

        (await UsedAsync("pod-count")).ToJsonString().Should().Be("""{"pods":"0"}""");
    }
}
