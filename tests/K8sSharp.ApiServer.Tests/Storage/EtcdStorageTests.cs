using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>Where the etcd-backed tests find etcd, and the error they fail with when it is not there.</summary>
internal static class EtcdTestEnvironment
{
    public const string DefaultEndpoint = "http://127.0.0.1:2379";

    public static string Endpoint =>
        Environment.GetEnvironmentVariable("K8SSHARP_ETCD") is { Length: > 0 } endpoint ? endpoint : DefaultEndpoint;

    // Probed once per test run: without etcd every etcd test fails at once with the same message instead of each
    // waiting for its own connection timeout.
    private static readonly Lazy<Task<Exception?>> Reachability = new(ProbeAsync);

    /// <summary>Connects to etcd, or fails (never skips: CI provides etcd) with how to start one.</summary>
    public static async Task<EtcdStorage> ConnectAsync()
    {
        if (await Reachability.Value is { } failure)
        {
            throw new InvalidOperationException(
                $"etcd is not reachable at {Endpoint} ({failure.Message}). The etcd storage tests need a real etcd (3.4+). " +
                "Start one, e.g. `etcd --data-dir /tmp/k8ssharp-etcd --listen-client-urls http://127.0.0.1:2379 " +
                "--advertise-client-urls http://127.0.0.1:2379 &` or `docker run -d --rm -p 2379:2379 " +
                "gcr.io/etcd-development/etcd:v3.5.17 etcd --listen-client-urls http://0.0.0.0:2379 " +
                "--advertise-client-urls http://127.0.0.1:2379`, or set K8SSHARP_ETCD to its client URL.", failure);
        }

        return new EtcdStorage(Endpoint, TimeSpan.FromSeconds(10));
    }

    private static async Task<Exception?> ProbeAsync()
    {
        await using var storage = new EtcdStorage(Endpoint, TimeSpan.FromSeconds(5));
        try
        {
            await storage.CurrentRevisionAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return null;
        }
        catch (Exception ex) when (ex is StorageException or TimeoutException)
        {
            return ex;
        }
    }

    /// <summary>A key root no other test (or earlier run) uses.</summary>
    public static string UniqueRoot() => $"/test-{Guid.NewGuid():N}/registry/";
}

/// <summary>
/// Every etcd-backed test class joins this collection, so they run one after another: compaction is global to etcd
/// and would otherwise break another class's reads at old revisions.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection
{
    public const string Name = "etcd";
}

/// <summary>The contract against a real etcd; each test writes under its own <c>/test-&lt;guid&gt;/registry/</c>.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStorageTests : StorageContractTests
{
    protected override string Root { get; } = EtcdTestEnvironment.UniqueRoot();

    protected override async Task<IStorage> CreateStorageAsync() => await EtcdTestEnvironment.ConnectAsync();

    protected override Task CompactAsync(long revision) => ((EtcdStorage)Storage).CompactAsync(revision);

    [Fact]
    public async Task UnreachableEtcd_FailsWithUnavailable()
    {
        await using var storage = new EtcdStorage("http://127.0.0.1:1", TimeSpan.FromSeconds(5));

        await ExpectErrorAsync(() => storage.GetAsync(K("pods/a")), StorageErrorKind.Unavailable);
        await ExpectErrorAsync(() => storage.CreateAsync(K("pods/a"), V("x")), StorageErrorKind.Unavailable);
        await ExpectErrorAsync(async () =>
        {
            await foreach (var unused in storage.WatchAsync(K("pods/"), 0))
            {
            }
        }, StorageErrorKind.Unavailable);
    }

    [Fact]
    public async Task Keys_AreStoredAsGiven()
    {
        await Storage.CreateAsync(K("pods/default/web-1"), V("x"));

        using var raw = new dotnet_etcd.EtcdClient(EtcdTestEnvironment.Endpoint);
        var response = await raw.GetAsync(K("pods/default/web-1"));

        response.Kvs.Should().ContainSingle().Which.Value.ToStringUtf8().Should().Be("x");
    }
}
