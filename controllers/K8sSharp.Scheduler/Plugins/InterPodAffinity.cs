using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Required pod affinity and anti-affinity (upstream's InterPodAffinity filter). PreFilter counts, per topology pair
/// (key, value), the existing pods whose anti-affinity rejects the incoming pod, the pods matching all of its affinity
/// terms and the pods its anti-affinity terms match; Filter then only looks up the node's pairs.
/// </summary>
internal sealed class InterPodAffinity : IPreFilterPlugin, IFilterPlugin
{
    public const string ExistingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules";
    public const string AffinityReason = "node(s) didn't match pod affinity rules";
    public const string AntiAffinityReason = "node(s) didn't match pod anti-affinity rules";
    private const string StateKey = "InterPodAffinity";

    public string Name => "InterPodAffinity";

    public Status PreFilter(CycleState state, V1Pod pod)
    {
        var incoming = state.Pod;
        var counts = new AffinityCounts();
        foreach (var node in state.AllNodes)
        {
            foreach (var existing in node.PodsWithRequiredAntiAffinity)
            {
                foreach (var term in existing.RequiredAntiAffinityTerms.Where(t => Terms.Matches(t, existing, incoming)))
                {
                    counts.ExistingAntiAffinity.Increment(node, term.TopologyKey);
                }
            }
            if (incoming.RequiredAffinityTerms.Count == 0 && incoming.RequiredAntiAffinityTerms.Count == 0)
            {
                continue;
            }
            foreach (var existing in node.Pods)
            {
                if (incoming.RequiredAffinityTerms.Count > 0 && incoming.RequiredAffinityTerms.All(t => Terms.Matches(t, incoming, existing)))
                {
                    foreach (var term in incoming.RequiredAffinityTerms)
                    {
                        counts.Affinity.Increment(node, term.TopologyKey);
                    }
                }
                foreach (var term in incoming.RequiredAntiAffinityTerms.Where(t => Terms.Matches(t, incoming, existing)))
                {
                    counts.AntiAffinity.Increment(node, term.TopologyKey);
                }
            }
        }
        state.Write(StateKey, counts);
        return Status.Success;
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var counts = state.Read<AffinityCounts>(StateKey) ?? new AffinityCounts();
        var incoming = state.Pod;
        if (counts.ExistingAntiAffinity.IsEmpty && incoming.RequiredAffinityTerms.Count == 0 && incoming.RequiredAntiAffinityTerms.Count == 0)
        {
            return Status.Success;
        }
        var labels = node.Labels;
        if (labels.Any(l => counts.ExistingAntiAffinity.Get(l.Key, l.Value) > 0))
        {
            return Status.Unschedulable(Name, ExistingAntiAffinityReason);
        }
        if (incoming.RequiredAntiAffinityTerms.Any(t => labels.TryGetValue(t.TopologyKey, out var v) && counts.AntiAffinity.Get(t.TopologyKey, v) > 0))
        {
            return Status.Unschedulable(Name, AntiAffinityReason);
        }
        return SatisfiesAffinity(incoming, labels, counts.Affinity) ? Status.Success : Status.Unresolvable(Name, AffinityReason);
    }

    /// <summary>
    /// Every affinity term needs a matching pod in the node's domain; when no pod anywhere matches and the pod matches
    /// its own terms, it may go anywhere that has the keys (the first pod of a group).
    /// </summary>
    private static bool SatisfiesAffinity(PodInfo incoming, IDictionary<string, string> labels, PairCounts affinity)
    {
        var podsExist = true;
        foreach (var term in incoming.RequiredAffinityTerms)
        {
            if (!labels.TryGetValue(term.TopologyKey, out var value))
            {
                return false;
            }
            podsExist &= affinity.Get(term.TopologyKey, value) > 0;
        }
        return podsExist || (affinity.IsEmpty && incoming.RequiredAffinityTerms.All(t => Terms.Matches(t, incoming, incoming)));
    }

    private sealed class AffinityCounts
    {
        public PairCounts ExistingAntiAffinity { get; } = new();

        public PairCounts Affinity { get; } = new();

        public PairCounts AntiAffinity { get; } = new();
    }
}

/// <summary>Pod counts per topology pair (key, value).</summary>
internal sealed class PairCounts
{
    private readonly Dictionary<(string Key, string Value), int> counts = [];

    public bool IsEmpty => counts.Count == 0;

    public void Increment(NodeInfo node, string key)
    {
        if (node.Labels.TryGetValue(key, out var value))
        {
            counts[(key, value)] = counts.GetValueOrDefault((key, value)) + 1;
        }
    }

    public int Get(string key, string value) => counts.GetValueOrDefault((key, value));
}

/// <summary>Whether an affinity term of <c>owner</c> selects <c>target</c>: namespace scope, then the label selector.</summary>
internal static class Terms
{
    public static bool Matches(V1PodAffinityTerm term, PodInfo owner, PodInfo target)
    {
        ArgumentNullException.ThrowIfNull(term);
        return InNamespaceScope(term, owner, target) && LabelSelectors.Matches(term.LabelSelector, target.Labels);
    }

    /// <summary>
    /// The term's namespaces, or the owner's namespace when it names none and has no namespaceSelector; an empty
    /// namespaceSelector means every namespace. (A non-empty namespaceSelector needs namespace labels, which this
    /// scheduler does not watch: such terms match only the listed namespaces.)
    /// </summary>
    private static bool InNamespaceScope(V1PodAffinityTerm term, PodInfo owner, PodInfo target)
    {
        var names = term.Namespaces ?? [];
        if (names.Contains(target.Namespace))
        {
            return true;
        }
        if (term.NamespaceSelector is { } selector)
        {
            return (selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0;
        }
        return names.Count == 0 && owner.Namespace == target.Namespace;
    }
}
