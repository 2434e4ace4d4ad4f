using System.Globalization;

namespace K8sSharp.Proxy.Health;

/// <summary>
/// upstream's ProxyHealthServer state: the proxy is healthy unless a rules update has been pending for longer than the
/// timeout (2 × the sync period), i.e. it noticed a change and failed to program it. <c>/healthz</c> answers 200 or 503
/// with <c>{"lastUpdated": …, "currentTime": …, "nodeEligible": …}</c>; nodeEligible is false while this node is being
/// deleted, so load balancers stop sending it traffic.
/// </summary>
internal sealed class ProxyHealth(TimeProvider time, TimeSpan healthTimeout)
{
    private readonly object gate = new();
    private DateTimeOffset? lastUpdated;
    private DateTimeOffset? oldestPending;

    /// <summary>A change was seen; it must be applied within the timeout for the proxy to stay healthy.</summary>
    public void QueuedUpdate()
    {
        lock (gate)
        {
            oldestPending ??= time.GetUtcNow();
        }
    }

    /// <summary>A sync completed: everything queued so far is applied.</summary>
    public void Updated()
    {
        lock (gate)
        {
            lastUpdated = time.GetUtcNow();
            oldestPending = null;
        }
    }

    /// <summary>False while this node is being deleted (deletionTimestamp set, or the autoscaler's deletion taint).</summary>
    public bool NodeEligible { get; set; } = true;

    public DateTimeOffset? LastUpdated
    {
        get
        {
            lock (gate)
            {
                return lastUpdated;
            }
        }
    }

    public (bool Healthy, string Json) Report()
    {
        var nodeEligible = NodeEligible;
        var now = time.GetUtcNow();
        lock (gate)
        {
            var healthy = (oldestPending is not { } pending || now - pending <= healthTimeout) && nodeEligible;
            var json = string.Create(CultureInfo.InvariantCulture,
                $"{{\"lastUpdated\": \"{Format(lastUpdated)}\",\"currentTime\": \"{Format(now)}\", \"nodeEligible\": {(nodeEligible ? "true" : "false")}}}");
            return (healthy, json);
        }
    }

    /// <summary>RFC 3339; an unset time prints as Go's zero time, as upstream does before the first sync.</summary>
    private static string Format(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : "0001-01-01T00:00:00Z";
}
