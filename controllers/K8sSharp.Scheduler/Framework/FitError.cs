namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// Why a pod fits no node, worded as upstream's FitError: "0/N nodes are available: " then either the PreFilter
/// message or a sorted histogram of the per-node reasons ("1 node(s) had untolerated taint {k: v}, 2 Insufficient
/// cpu"), a period, and the preemption outcome when it ran (" preemption: ...").
/// </summary>
internal sealed class FitError
{
    public const string NoNodesAvailable = "no nodes available to schedule pods";

    public FitError(int allNodes, IReadOnlyDictionary<string, Status> rejected, Status? preFilterRejection)
    {
        AllNodes = allNodes;
        Rejected = rejected;
        PreFilterRejection = preFilterRejection;
    }

    public int AllNodes { get; }

    public IReadOnlyDictionary<string, Status> Rejected { get; }

    public Status? PreFilterRejection { get; }

    /// <summary>The preemption message (already prefixed "preemption: "), set after PostFilter ran.</summary>
    public string? PostFilterMessage { get; set; }

    /// <summary>The plugins that rejected the pod somewhere: the queue retries it only on events those plugins care about.</summary>
    public IReadOnlySet<string> RejectingPlugins =>
        PreFilterRejection is { } pre
            ? new HashSet<string>([pre.Plugin], StringComparer.Ordinal)
            : Rejected.Values.Select(s => s.Plugin).ToHashSet(StringComparer.Ordinal);

    public string Message
    {
        get
        {
            var message = $"0/{AllNodes} nodes are available:";
            if (PreFilterRejection is { } pre)
            {
                message += $" {pre.Message}.";
            }
            else if (Histogram(Rejected) is { Length: > 0 } reasons)
            {
                message += $" {reasons}.";
            }
            if (!string.IsNullOrEmpty(PostFilterMessage))
            {
                message += $" {PostFilterMessage}";
            }
            return message;
        }
    }

    /// <summary>"count reason" for every distinct reason over the nodes, sorted as strings, comma-separated.</summary>
    public static string Histogram(IReadOnlyDictionary<string, Status> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reason in statuses.Values.SelectMany(s => s.Reasons))
        {
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        }
        return string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}").Order(StringComparer.Ordinal));
    }
}
