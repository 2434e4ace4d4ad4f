using System.Text.Json.Nodes;
using FluentAssertions;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace K8sSharp.ApiServer.Tests.Registry;

/// <summary>DefaultStorageClass and StorageObjectInUseProtection through the real store (in-memory storage).</summary>
public sealed class StorageAdmissionTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A registry over fresh storage with the default namespace.</summary>
    private async Task<StoreRegistry> RegistryAsync(MemoryStorage storage)
    {
        var registry = new StoreRegistry(ApiCatalog.BuiltIn, storage, time);
        await registry.Namespaces.CreateAsync(null, Parse("""{"metadata":{"name":"default"}}"""), new WriteOptions(), CancellationToken.None);
        return registry;
    }

    [Fact]
    public async Task ClaimWithoutClassGetsTheNewestDefaultClassAndTheProtectionFinalizer()
    {
        await using var storage = new MemoryStorage();
        var registry = await RegistryAsync(storage);
        await CreateClassAsync(registry, "old-default", isDefault: true);
        time.Advance(TimeSpan.FromMinutes(1));
        await CreateClassAsync(registry, "new-default", isDefault: true);
        await CreateClassAsync(registry, "other", isDefault: false);

        var claim = await CreateClaimAsync(registry, """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");

        ((string?)claim["spec"]!["storageClassName"]).Should().Be("new-default");
        claim["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal("kubernetes.io/pvc-protection");
    }

    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("\"fast\"", "fast")]
    public async Task ClaimNamingAClassOrTheEmptyClassKeepsIt(string classJson, string expected)
    {
        await using var storage = new MemoryStorage();
        var registry = await RegistryAsync(storage);
        await CreateClassAsync(registry, "standard", isDefault: true);

        var claim = await CreateClaimAsync(registry, """{"metadata":{"name":"c"},"spec":{"storageClassName":""" + classJson
            + ""","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");

        ((string?)claim["spec"]!["storageClassName"]).Should().Be(expected);
    }

    [Fact]
    public async Task WithoutDefaultClassTheClaimStaysWithoutClass()
    {
        await using var storage = new MemoryStorage();
        var registry = await RegistryAsync(storage);
        await CreateClassAsync(registry, "plain", isDefault: false);

        var claim = await CreateClaimAsync(registry, """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");

        claim["spec"]!.AsObject().ContainsKey("storageClassName").Should().BeFalse();
    }

    [Fact]
    public async Task VolumeGetsThePvProtectionFinalizer()
    {
        await using var storage = new MemoryStorage();
        var registry = await RegistryAsync(storage);
        var store = registry.For(ApiCatalog.BuiltIn.Find("", "v1", "persistentvolumes")!);

        var volume = await store.CreateAsync(null, Parse("""{"metadata":{"name":"v"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/v"}}}"""),
            new WriteOptions(), CancellationToken.None);

        volume["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal("kubernetes.io/pv-protection");
    }

    private static Task<JsonObject> CreateClaimAsync(StoreRegistry registry, string json) =>
        registry.For(ApiCatalog.BuiltIn.Find("", "v1", "persistentvolumeclaims")!).CreateAsync("default", Parse(json), new WriteOptions(), CancellationToken.None);

    private static Task<JsonObject> CreateClassAsync(StoreRegistry registry, string name, bool isDefault)
    {
        var annotations = isDefault ? """{"storageclass.kubernetes.io/is-default-class":"true"}""" : "{}";
        return registry.For(ApiCatalog.BuiltIn.Find("storage.k8s.io", "v1", "storageclasses")!).CreateAsync(null,
            Parse($$$"""{"metadata":{"name":"{{{name}}}","annotations":{{{annotations}}}},"provisioner":"example.com/p"}"""), new WriteOptions(), CancellationToken.None);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
