using K8sSharp.Client.WorkQueues;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Client.Tests.WorkQueues;

public class WorkQueueTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public async Task Keys_added_twice_before_a_get_are_handed_out_once()
    {
        using var queue = new WorkQueue(time);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        queue.Length.Should().Be(2);
        (await queue.GetAsync()).Should().Be("a");
        (await queue.GetAsync()).Should().Be("b");
        queue.Length.Should().Be(0);
    }

    [Fact]
    public async Task A_key_re_added_while_processing_is_handed_out_again_only_after_Done()
    {
        using var queue = new WorkQueue(time);
        queue.Add("a");
        var key = await queue.GetAsync();

        queue.Add("a");
        queue.Length.Should().Be(0, "a key in flight must not reach a second worker");
        var second = queue.GetAsync();
        second.IsCompleted.Should().BeFalse();

        queue.Done(key!);
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("a");
    }

    [Fact]
    public async Task Done_without_a_re_add_leaves_the_queue_empty()
    {
        using var queue = new WorkQueue(time);
        queue.Add("a");
        queue.Done((await queue.GetAsync())!);
        queue.Length.Should().Be(0);
    }

    [Fact]
    public async Task AddAfter_waits_for_virtual_time_and_the_earliest_delay_wins()
    {
        using var queue = new WorkQueue(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));

        time.Advance(TimeSpan.FromSeconds(2));
        queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(1));
        queue.Length.Should().Be(1);
        (await queue.GetAsync()).Should().Be("a");
        time.Advance(TimeSpan.FromSeconds(30));
        queue.Length.Should().Be(0, "the later delays of the same key were merged into the earliest");
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_and_Forget_resets()
    {
        using var queue = new WorkQueue(time);
        queue.AddRateLimited("a");
        queue.NumRequeues("a").Should().Be(1);
        time.Advance(TimeSpan.FromMilliseconds(4));
        queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Length.Should().Be(1, "the first retry waits 5 ms");

        queue.AddRateLimited("b");
        queue.AddRateLimited("b");
        queue.NumRequeues("b").Should().Be(2);
        queue.Forget("b");
        queue.NumRequeues("b").Should().Be(0);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(11, 5120)]
    [InlineData(30, 1_000_000)]
    [InlineData(200, 1_000_000)]
    public void Backoff_doubles_from_5ms_up_to_1000s(int failures, double expectedMs)
    {
        var limiter = new ItemExponentialRateLimiter();
        var delay = TimeSpan.Zero;
        for (var i = 0; i < failures; i++)
        {
            delay = limiter.When("k");
        }
        delay.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public async Task ShutDown_drains_queued_keys_then_returns_null_and_ignores_new_adds()
    {
        using var queue = new WorkQueue(time);
        using var idle = new WorkQueue(time);
        var waiting = idle.GetAsync();
        idle.ShutDown();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Should().BeNull();

        queue.Add("a");
        queue.AddAfter("b", TimeSpan.FromSeconds(1));
        queue.ShutDown();
        queue.Add("c");
        time.Advance(TimeSpan.FromSeconds(2));

        queue.ShuttingDown.Should().BeTrue();
        (await queue.GetAsync()).Should().Be("a");
        (await queue.GetAsync()).Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_honours_cancellation()
    {
        using var queue = new WorkQueue(time);
        using var cts = new CancellationTokenSource();
        var get = queue.GetAsync(cts.Token);
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => get).Should().ThrowAsync<OperationCanceledException>();
        queue.Add("a");
        (await queue.GetAsync()).Should().Be("a");
    }
}
