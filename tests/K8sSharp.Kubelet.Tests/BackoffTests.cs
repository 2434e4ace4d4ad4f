using K8sSharp.Kubelet.Pods;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Kubelet.Tests;

public sealed class BackoffTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_failure_restarts_at_once_then_delays_double_up_to_five_minutes()
    {
        var backoff = Backoff.ForContainers(time);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var failedAt = time.GetUtcNow();
            if (i == 0)
            {
                backoff.IsInBackoffSince("k", failedAt).Should().BeFalse("nothing failed before");
            }
            backoff.Next("k", failedAt);
            delays.Add(backoff.Delay("k"));
            time.Advance(backoff.Delay("k"));
        }

        delays.Select(d => d.TotalSeconds).Should().Equal(10, 20, 40, 80, 160, 300, 300, 300);
    }

    [Fact]
    public void A_key_is_in_backoff_until_its_delay_passed_since_the_failure()
    {
        var backoff = Backoff.ForContainers(time);
        backoff.Next("k", time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(5));
        var failedAt = time.GetUtcNow();

        backoff.IsInBackoffSince("k", failedAt).Should().BeTrue();
        backoff.RetryAt("k", failedAt).Should().Be(failedAt + TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9));
        backoff.IsInBackoffSince("k", failedAt).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(1));
        backoff.IsInBackoffSince("k", failedAt).Should().BeFalse();
    }

    [Fact]
    public void A_container_that_ran_ten_minutes_starts_over_at_ten_seconds()
    {
        var backoff = Backoff.ForContainers(time);
        backoff.Next("k", time.GetUtcNow());
        backoff.Next("k", time.GetUtcNow());
        backoff.Delay("k").Should().Be(TimeSpan.FromSeconds(20));

        time.Advance(TimeSpan.FromMinutes(11));
        var failedAt = time.GetUtcNow();

        backoff.IsInBackoffSince("k", failedAt).Should().BeFalse();
        backoff.Next("k", failedAt);
        backoff.Delay("k").Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Forget_drops_every_key_with_the_prefix()
    {
        var backoff = Backoff.ForContainers(time);
        backoff.Next("uid1/a", time.GetUtcNow());
        backoff.Next("uid2/a", time.GetUtcNow());

        backoff.Forget("uid1/");

        backoff.Delay("uid1/a").Should().Be(TimeSpan.Zero);
        backoff.Delay("uid2/a").Should().Be(TimeSpan.FromSeconds(10));
    }
}
