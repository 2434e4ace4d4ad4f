using k8s;
using K8sSharp.Client.LeaderElection;

namespace K8sSharp.Client.Tests.Integration;

public sealed class LeaderElectionTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    private static LeaderElectionConfig Config(string identity, bool release) => new("test-lock", identity)
    {
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        ReleaseOnCancel = release,
    };

    [Fact]
    public async Task Exactly_one_leads_and_the_other_takes_over_when_the_leader_stops_renewing()
    {
        using var clientA = server.NewClient();
        using var clientB = server.NewClient();
        var leading = 0;
        var maxLeading = 0;
        var stopped = new List<string>();
        LeaderElector Elector(IKubernetes client, string id) => new(client, Config(id, release: false))
        {
            OnStartedLeading = async ct =>
            {
                var now = Interlocked.Increment(ref leading);
                InterlockedMax(ref maxLeading, now);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Decrement(ref leading);
                }
            },
            OnStoppedLeading = () => { lock (stopped) { stopped.Add(id); } },
        };
        var a = Elector(clientA, "a");
        var b = Elector(clientB, "b");
        using var ctsA = new CancellationTokenSource();
        using var ctsB = new CancellationTokenSource();
        var runA = a.RunAsync(ctsA.Token);
        await Eventually.TrueAsync(() => a.IsLeader, "the first candidate acquired the free lease");
        var runB = b.RunAsync(ctsB.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        b.IsLeader.Should().BeFalse("a renews its lease");
        b.ObservedLeader.Should().Be("a");

        await ctsA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => b.IsLeader, "b takes over once a's lease expires", seconds: 10);

        maxLeading.Should().Be(1);
        stopped.Should().Equal("a");
        var lease = await server.Client.CoordinationV1.ReadNamespacedLeaseAsync("test-lock", "kube-system");
        lease.Spec.HolderIdentity.Should().Be("b");
        lease.Spec.LeaseTransitions.Should().Be(1);
        lease.Spec.RenewTime.Should().NotBeNull();
        await ctsB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_leader_that_releases_on_cancel_lets_the_next_acquire_at_once()
    {
        var a = new LeaderElector(server.Client, Config("a", release: true) with { LeaseDuration = TimeSpan.FromSeconds(30), RenewDeadline = TimeSpan.FromSeconds(20) });
        using var ctsA = new CancellationTokenSource();
        var runA = a.RunAsync(ctsA.Token);
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        await ctsA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(5));

        var b = new LeaderElector(server.Client, Config("b", release: true));
        using var ctsB = new CancellationTokenSource();
        var runB = b.RunAsync(ctsB.Token);
        await Eventually.TrueAsync(() => b.IsLeader, "b acquires the released lease well before 30 s", seconds: 5);
        await ctsB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
