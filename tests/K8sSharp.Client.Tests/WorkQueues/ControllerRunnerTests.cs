using System.Collections.Concurrent;
using K8sSharp.Client.Controllers;
using K8sSharp.Client.WorkQueues;

namespace K8sSharp.Client.Tests.WorkQueues;

public class ControllerRunnerTests
{
    [Fact]
    public async Task Failed_reconciles_are_retried_with_backoff_and_successes_forget()
    {
        var limiter = new ItemExponentialRateLimiter(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10));
        using var queue = new WorkQueue(TimeProvider.System, limiter);
        using var cts = new CancellationTokenSource();
        var attempts = new ConcurrentDictionary<string, int>();
        var finished = new TaskCompletionSource();
        queue.Add("flaky");
        queue.Add("fine");

        var run = ControllerRunner.RunWorkersAsync(queue, 2, (key, _) =>
        {
            var n = attempts.AddOrUpdate(key, 1, (_, v) => v + 1);
            if (key == "flaky" && n < 3)
            {
                throw new InvalidOperationException("not yet");
            }
            if (key == "flaky")
            {
                finished.TrySetResult();
            }
            return Task.CompletedTask;
        }, cancellationToken: cts.Token);

        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        attempts["flaky"].Should().Be(3);
        attempts["fine"].Should().Be(1);
        queue.NumRequeues("flaky").Should().Be(0, "the successful attempt forgets the backoff");
    }

    [Fact]
    public async Task Per_key_runner_reconciles_other_keys_while_one_is_still_in_flight()
    {
        using var queue = new WorkQueue(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var fastDone = new TaskCompletionSource();
        var slowDone = new TaskCompletionSource();
        queue.Add("slow");

        var run = ControllerRunner.RunPerKeyAsync(queue, async (key, _) =>
        {
            if (key == "slow")
            {
                queue.Add("fast");
                // Released only by the other key's reconcile: a fixed pool of one worker would never get there.
                await fastDone.Task;
                slowDone.TrySetResult();
            }
            else
            {
                fastDone.TrySetResult();
            }
        }, cancellationToken: cts.Token);

        await slowDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        fastDone.Task.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task Per_key_runner_never_reconciles_one_key_twice_at_once_and_waits_for_reconciles_in_flight()
    {
        using var queue = new WorkQueue(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var release = new TaskCompletionSource();
        var firstStarted = new TaskCompletionSource();
        var secondDone = new TaskCompletionSource();
        var inFlight = 0;
        var maxInFlight = 0;
        var calls = 0;
        queue.Add("pod");

        var run = ControllerRunner.RunPerKeyAsync(queue, async (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            var call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                queue.Add("pod"); // queued again while in flight: handed out only after Done
                firstStarted.TrySetResult();
                await release.Task;
            }
            Interlocked.Decrement(ref inFlight);
            if (call == 2)
            {
                secondDone.TrySetResult();
            }
        }, cancellationToken: cts.Token);

        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        calls.Should().Be(1, "the key is in flight, so its second add waits");
        release.SetResult();
        await secondDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        calls.Should().Be(2);
        maxInFlight.Should().Be(1);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
