using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Preemption;

/// <summary>
/// What preemption decided: the node to nominate with the victims to delete there, or why not. <see cref="NominatedNode"/>
/// follows upstream's PostFilterResult: null keeps the pod's nominatedNodeName, "" clears it.
/// </summary>
internal sealed record PreemptionOutcome(string? NominatedNode, IReadOnlyList<PodInfo> Victims, string Message)
{
    public bool Succeeded => !string.IsNullOrEmpty(NominatedNode);
}

/// <summary>
/// Upstream's DefaultPreemption PostFilter, without PodDisruptionBudgets: on every node that rejected the pod only for
/// resolvable reasons, remove all lower-priority pods; where the pod then fits, put back as many as still allow it
/// (most important first), the rest are the victims. The best node has the lowest highest-victim priority, then the
/// lowest priority sum, then the fewest victims.
/// </summary>
internal sealed class DefaultPreemption(Profile profile)
{
    public const string PluginName = "DefaultPreemption";
    public const string NotHelpful = "Preemption is not helpful for scheduling";
    public const string NoVictims = "No preemption victims found for incoming pod";

    public PreemptionOutcome Preempt(CycleState state, FitError fit)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fit);
        if (NotEligible(state, fit) is { } reason)
        {
            return new PreemptionOutcome(null, [], "preemption: " + reason);
        }
        var statuses = new Dictionary<string, Status>(StringComparer.Ordinal);
        var candidates = new List<(NodeInfo Node, List<PodInfo> Victims)>();
        if (fit.PreFilterRejection is null)
        {
            foreach (var node in state.AllNodes.Where(n => fit.Rejected.TryGetValue(n.Name, out var s) && s.Code == StatusCode.Unschedulable))
            {
                var (victims, status) = SelectVictims(state, node);
                if (victims is null)
                {
                    statuses[node.Name] = status;
                }
                else
                {
                    candidates.Add((node, victims));
                }
            }
        }
        if (candidates.Count == 0)
        {
            var notHelpful = state.AllNodes.Where(n => !statuses.ContainsKey(n.Name)).ToDictionary(n => n.Name, _ => Status.Unresolvable(PluginName, NotHelpful), StringComparer.Ordinal);
            var all = statuses.Concat(notHelpful).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            return new PreemptionOutcome("", [], "preemption: " + new FitError(state.AllNodes.Count, all, null).Message);
        }
        var best = candidates.OrderBy(c => c.Victims.Select(v => v.Priority).DefaultIfEmpty(int.MinValue).Max())
            .ThenBy(c => c.Victims.Sum(v => (long)v.Priority))
            .ThenBy(c => c.Victims.Count)
            .First();
        return new PreemptionOutcome(best.Node.Name, best.Victims, string.Empty);
    }

    /// <summary>
    /// Upstream's PodEligibleToPreemptOthers: not with preemptionPolicy Never, and not again while a lower-priority
    /// pod on the node it was nominated to is still terminating (its earlier victims are on their way out).
    /// </summary>
    private static string? NotEligible(CycleState state, FitError fit)
    {
        var pod = state.Pod;
        if (pod.Pod.Spec?.PreemptionPolicy == "Never")
        {
            return "not eligible due to preemptionPolicy=Never.";
        }
        var nominated = pod.Pod.Status?.NominatedNodeName;
        if (string.IsNullOrEmpty(nominated) || state.AllNodes.FirstOrDefault(n => n.Name == nominated) is not { } node)
        {
            return null;
        }
        if (fit.Rejected.TryGetValue(nominated, out var status) && status.Code == StatusCode.UnschedulableAndUnresolvable)
        {
            return null;
        }
        return node.Pods.Any(p => p.IsTerminating && p.Priority < pod.Priority) ? "not eligible due to a terminating pod on the nominated node." : null;
    }

    private (List<PodInfo>? Victims, Status Status) SelectVictims(CycleState state, NodeInfo node)
    {
        var pod = state.Pod;
        var potential = node.Pods.Where(p => p.Priority < pod.Priority).ToList();
        if (potential.Count == 0)
        {
            return (null, Status.Unresolvable(PluginName, NoVictims));
        }
        var whatIf = node.Clone();
        foreach (var victim in potential)
        {
            whatIf.RemovePod(victim.Uid);
        }
        var fits = profile.RunFilters(state, whatIf);
        if (!fits.IsSuccess)
        {
            return (null, fits);
        }
        var victims = new List<PodInfo>();
        foreach (var candidate in potential.OrderByDescending(p => p.Priority).ThenBy(StartTime))
        {
            whatIf.AddPod(candidate);
            if (!profile.RunFilters(state, whatIf).IsSuccess)
            {
                whatIf.RemovePod(candidate.Uid);
                victims.Add(candidate);
            }
        }
        return (victims, Status.Success);
    }

    private static DateTime StartTime(PodInfo pod) => pod.Pod.Status?.StartTime ?? DateTime.MaxValue;
}
