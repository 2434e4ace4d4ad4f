using K8sSharp.Proxy.IpTables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Proxy.Tests;

/// <summary>Rate limiting and periodic resync of syncs, in virtual time.</summary>
public sealed class SyncRunnerTests
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<TimeSpan> syncs = [];
    private readonly DateTimeOffset start;

    public SyncRunnerTests()
    {
        start = time.GetUtcNow();
    }

    private SyncRunner Runner(Func<int, Task>? body = null) => new(
        _ =>
        {
            int count;
            lock (syncs)
            {
                syncs.Add(time.GetUtcNow() - start);
                count = syncs.Count;
            }
            return body?.Invoke(count) ?? Task.CompletedTask;
        },
        MinInterval, Period, time, NullLogger<SyncRunner>.Instance);

    private int Count
    {
        get
        {
            lock (syncs)
            {
                return syncs.Count;
            }
        }
    }

    /// <summary>Advances virtual time a second at a time until <paramref name="count"/> syncs happened (bounded).</summary>
    private async Task AdvanceUntilAsync(int count)
    {
        for (var i = 0; i < 500 && Count < count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
        Count.Should().BeGreaterThanOrEqualTo(count);
    }

    [Fact]
    public async Task Syncs_at_once_then_coalesces_a_burst_then_resyncs_periodically()
    {
        using var stop = new CancellationTokenSource();
        var runner = Runner();
        var run = runner.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Count == 1, "the first sync runs at once");

        for (var i = 0; i < 5; i++)
        {
            runner.Request();
        }
        await AdvanceUntilAsync(2);
        await AdvanceUntilAsync(3);

        await stop.CancelAsync();
        await run;
        syncs[1].Should().BeGreaterThanOrEqualTo(MinInterval, "syncs are at least minInterval apart");
        (syncs[2] - syncs[1]).Should().BeGreaterThanOrEqualTo(Period, "five requests made one sync; the next is the periodic resync");
    }

    [Fact]
    public async Task A_failed_sync_is_retried_after_min_interval_without_a_request()
    {
        using var stop = new CancellationTokenSource();
        var runner = Runner(count => count == 1 ? throw new IpTablesException("boom") : Task.CompletedTask);
        var run = runner.RunAsync(stop.Token);

        await AdvanceUntilAsync(2);

        await stop.CancelAsync();
        await run;
        syncs[1].Should().BeLessThan(Period, "the retry did not wait for the periodic resync");
        runner.Runs.Should().BeGreaterThanOrEqualTo(2);
    }
}
