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
}
