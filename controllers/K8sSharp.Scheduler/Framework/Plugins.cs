using k8s.Models;

namespace K8sSharp.Scheduler.Framework;

/// <summary>A plugin of the default profile; the name is upstream's (it appears in logs and queueing decisions).</summary>
internal interface IPlugin
{
    string Name { get; }
}

/// <summary>Runs once per attempt before the filters; a failure rejects the pod on every node.</summary>
internal interface IPreFilterPlugin : IPlugin
{
    Status PreFilter(CycleState state, V1Pod pod);
}

/// <summary>Whether the pod may run on one node; must not change the node.</summary>
internal interface IFilterPlugin : IPlugin
{
    Status Filter(CycleState state, V1Pod pod, NodeInfo node);
}

/// <summary>
/// Ranks the feasible nodes: <see cref="PreScore"/> once, <see cref="Score"/> per node, then
/// <see cref="NormalizeScores"/> brings the raw scores to 0..100 before they are multiplied by <see cref="Weight"/>.
/// </summary>
internal interface IScorePlugin : IPlugin
{
    /// <summary>The profile's weight of this plugin (upstream's default plugin config).</summary>
    int Weight { get; }

    void PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> feasible)
    {
    }

    long Score(CycleState state, V1Pod pod, NodeInfo node);

    void NormalizeScores(CycleState state, long[] scores)
    {
    }
}

/// <summary>Score helpers shared by plugins (upstream's helper.DefaultNormalizeScore).</summary>
internal static class Scores
{
    public const long MaxNodeScore = 100;

    /// <summary>Scales scores to 0..100 by the highest; <paramref name="reverse"/> makes the highest the worst.</summary>
    public static void DefaultNormalize(long[] scores, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var max = scores.Length == 0 ? 0 : scores.Max();
        for (var i = 0; i < scores.Length; i++)
        {
            if (max == 0)
            {
                scores[i] = reverse ? MaxNodeScore : 0;
                continue;
            }
            var score = MaxNodeScore * scores[i] / max;
            scores[i] = reverse ? MaxNodeScore - score : score;
        }
    }
}
