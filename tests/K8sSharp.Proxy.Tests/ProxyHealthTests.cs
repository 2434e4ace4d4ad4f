using System.Text.Json;
using K8sSharp.Proxy.Health;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Proxy.Tests;

/// <summary>/healthz semantics of upstream's proxy health server, in virtual time.</summary>
public sealed class ProxyHealthTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ProxyHealth health;

    public ProxyHealthTests()
    {
        health = new ProxyHealth(time, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_pending_update_older_than_the_timeout_is_unhealthy_until_the_next_sync()
    {
        health.QueuedUpdate();
        time.Advance(TimeSpan.FromSeconds(60));
        health.Report().Healthy.Should().BeTrue("exactly the timeout is still fine");

        time.Advance(TimeSpan.FromSeconds(1));
        health.Report().Healthy.Should().BeFalse();

        health.Updated();
        health.Report().Healthy.Should().BeTrue();
    }

    [Fact]
    public void Later_queued_updates_do_not_reset_the_oldest_pending_one()
    {
        health.QueuedUpdate();
        time.Advance(TimeSpan.FromSeconds(50));
        health.QueuedUpdate();
        time.Advance(TimeSpan.FromSeconds(11));

        health.Report().Healthy.Should().BeFalse();
    }

    [Fact]
    public void The_body_has_upstreams_fields()
    {
        time.Advance(TimeSpan.FromSeconds(3));
        health.Updated();
        time.Advance(TimeSpan.FromSeconds(2));

        var body = JsonDocument.Parse(health.Report().Json).RootElement;

        body.GetProperty("lastUpdated").GetString().Should().Be("2026-01-01T00:00:03.000Z");
        body.GetProperty("currentTime").GetString().Should().Be("2026-01-01T00:00:05.000Z");
        body.GetProperty("nodeEligible").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public void A_node_being_deleted_is_not_eligible_and_not_healthy()
    {
        health.Updated();
        health.NodeEligible = false;

        var (healthy, json) = health.Report();

        healthy.Should().BeFalse();
        JsonDocument.Parse(json).RootElement.GetProperty("nodeEligible").GetBoolean().Should().BeFalse();
    }
}
