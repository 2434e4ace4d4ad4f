namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// What the controller remembers of one HPA between syncs, in memory as upstream (lost on restart or leader change):
/// its unstabilized recommendations (for the stabilization windows) and its recent scale-ups and scale-downs (for the
/// behavior policies' periods). Old entries are reused in place rather than removed, as upstream does, so the lists
/// stay as long as the busiest window needs.
/// </summary>
internal sealed class ScaleHistory
{
    private readonly List<(int Replicas, DateTimeOffset At)> recommendations = [];
    private readonly List<ScaleEvent> scaleUps = [];
    private readonly List<ScaleEvent> scaleDowns = [];

    public IReadOnlyList<(int Replicas, DateTimeOffset At)> Recommendations => recommendations;

    public IReadOnlyList<ScaleEvent> ScaleUps => scaleUps;

    public IReadOnlyList<ScaleEvent> ScaleDowns => scaleDowns;

    /// <summary>The first sync of an HPA records the target's current size as a recommendation.</summary>
    public void RecordInitial(int currentReplicas, DateTimeOffset now)
    {
        if (recommendations.Count == 0)
        {
            recommendations.Add((currentReplicas, now));
        }
    }

    /// <summary>Adds a recommendation, overwriting the last entry for which <paramref name="isObsolete"/> holds, if any.</summary>
    public void Record(int replicas, DateTimeOffset now, Func<DateTimeOffset, bool> isObsolete)
    {
        var old = recommendations.FindLastIndex(r => isObsolete(r.At));
        if (old >= 0)
        {
            recommendations[old] = (replicas, now);
        }
        else
        {
            recommendations.Add((replicas, now));
        }
    }

    /// <summary>
    /// Remembers a rescale from <paramref name="from"/> to <paramref name="to"/>, reusing an event older than the
    /// longest policy period of that direction.
    /// </summary>
    public void RecordScale(int from, int to, int longestPeriodSeconds, DateTimeOffset now)
    {
        var events = to > from ? scaleUps : scaleDowns;
        var cutoff = now - TimeSpan.FromSeconds(longestPeriodSeconds);
        var old = events.FindLastIndex(e => e.At < cutoff);
        var change = new ScaleEvent(Math.Abs(to - from), now);
        if (old >= 0)
        {
            events[old] = change;
        }
        else
        {
            events.Add(change);
        }
    }

    /// <summary>Replicas changed by <paramref name="events"/> within the last <paramref name="periodSeconds"/>.</summary>
    public static int ChangeWithin(IEnumerable<ScaleEvent> events, int periodSeconds, DateTimeOffset now)
    {
        var cutoff = now - TimeSpan.FromSeconds(periodSeconds);
        return events.Where(e => e.At > cutoff).Sum(e => e.Change);
    }
}

/// <summary>A rescale by <see cref="Change"/> replicas (always positive) at <see cref="At"/>.</summary>
internal sealed record ScaleEvent(int Change, DateTimeOffset At);
