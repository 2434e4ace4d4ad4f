using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Preemption;

/// <summary>
/// What preemption decided: the node to nominate with the victims to delete there, or why not. <see cref="NominatedNode"/>
/// follows upstream's PostFilterResult: null keeps the pod's nominatedNodeName, "" clears it.
/// <see cref="LowerNominated"/> are the lower-priority pods nominated to that node, which may no longer fit there and
/// lose their nomination (upstream's prepareCandidate).
/// </summary>
internal sealed record PreemptionOutcome(string? NominatedNode, IReadOnlyList<PodInfo> Victims, string Message, IReadOnlyList<PodInfo>? LowerNominated = null)
{
    public bool Succeeded => !string.IsNullOrEmpty(NominatedNode);
}

/// <summary>
/// Upstream's DefaultPreemption PostFilter: on every node that rejected the pod only for resolvable reasons, remove all
/// lower-priority pods; where the pod then fits, put back as many as still allow it (first those whose eviction would
/// violate a PodDisruptionBudget, then the others, each group most important first); the rest are the victims. The
/// best node (<see cref="PickNode"/>) has the fewest PDB violations, then the lowest highest-victim priority, the
/// lowest priority sum, the fewest victims and the latest start of its most important victims.
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
        var candidates = new List<Candidate>();
        if (fit.PreFilterRejection is null)
        {
            foreach (var node in state.AllNodes.Where(n => fit.Rejected.TryGetValue(n.Name, out var s) && s.Code == StatusCode.Unschedulable))
            {
                var (candidate, status) = SelectVictims(state, node);
                if (candidate is null)
                {
                    statuses[node.Name] = status;
                }
                else
                {
                    candidates.Add(candidate);
                }
            }
        }
        if (candidates.Count == 0)
        {
            var notHelpful = state.AllNodes.Where(n => !statuses.ContainsKey(n.Name)).ToDictionary(n => n.Name, _ => Status.Unresolvable(PluginName, NotHelpful), StringComparer.Ordinal);
            var all = statuses.Concat(notHelpful).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            return new PreemptionOutcome("", [], "preemption: " + new FitError(state.AllNodes.Count, all, null).Message);
        }
        var best = PickNode(candidates);
        return new PreemptionOutcome(best.Node.Name, best.Victims, string.Empty, state.Nominated.LowerPriorityOn(best.Node.Name, state.Pod));
    }

    /// <summary>
    /// Upstream's pickOneNodeForPreemption: a node that needs no victims at once; else, in order, the fewest PDB
    /// violations, the lowest priority among the most important victims, the lowest sum of priorities (each offset by
    /// 2^31, so fewer victims weigh less), the fewest victims, and the latest start time of the most important victims
    /// (disturbing the pods that ran shortest); remaining ties go to the first node.
    /// </summary>
    internal static Candidate PickNode(IReadOnlyList<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.FirstOrDefault(c => c.Victims.Count == 0)
            ?? candidates.OrderBy(c => c.PdbViolations)
                .ThenBy(c => c.Victims.Max(v => v.Priority))
                .ThenBy(c => c.Victims.Sum(v => (long)v.Priority + int.MaxValue + 1))
                .ThenBy(c => c.Victims.Count)
                .ThenByDescending(EarliestStartOfMostImportant)
                .First();
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

    private (Candidate? Candidate, Status Status) SelectVictims(CycleState state, NodeInfo node)
    {
        var pod = state.Pod;
        var potential = node.Pods.Where(p => p.Priority < pod.Priority).OrderByDescending(p => p.Priority).ThenBy(StartTime).ToList();
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
        var (violating, nonViolating) = DisruptionBudgets.Split(potential, profile.DisruptionBudgets(pod.Namespace));
        var victims = new List<PodInfo>();
        var violations = violating.Count(candidate => !Reprieve(state, whatIf, candidate, victims));
        foreach (var candidate in nonViolating)
        {
            Reprieve(state, whatIf, candidate, victims);
        }
        return (new Candidate(node, [.. victims.OrderByDescending(p => p.Priority).ThenBy(StartTime)], violations), Status.Success);
    }

    /// <summary>Puts <paramref name="candidate"/> back on the what-if node if the pod still fits; else it is a victim. True when reprieved.</summary>
    private bool Reprieve(CycleState state, NodeInfo whatIf, PodInfo candidate, List<PodInfo> victims)
    {
        whatIf.AddPod(candidate);
        if (profile.RunFilters(state, whatIf).IsSuccess)
        {
            return true;
        }
        whatIf.RemovePod(candidate.Uid);
        victims.Add(candidate);
        return false;
    }

    /// <summary>A pod's start time; one not started yet counts as starting now, i.e. after every started one (as upstream's GetPodStartTime).</summary>
    private static DateTime StartTime(PodInfo pod) => pod.Pod.Status?.StartTime ?? DateTime.MaxValue;

    /// <summary>The earliest start among the victims of the highest priority (upstream's GetEarliestPodStartTime).</summary>
    private static DateTime EarliestStartOfMostImportant(Candidate candidate)
    {
        var highest = candidate.Victims.Max(v => v.Priority);
        return candidate.Victims.Where(v => v.Priority == highest).Min(StartTime);
    }
}

/// <summary>A node where preemption would make room, its victims (most important first) and how many of them violate a PDB.</summary>
internal sealed record Candidate(NodeInfo Node, IReadOnlyList<PodInfo> Victims, int PdbViolations);
