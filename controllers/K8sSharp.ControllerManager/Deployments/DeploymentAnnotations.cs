using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>
/// The annotations the Deployment controller keeps on its ReplicaSets and on itself (upstream deployment_util.go):
/// the revision (and the revisions an RS had before it was reused), and the deployment's desired and maximum
/// (desired + maxSurge) replica counts as they were when the RS was last sized, which proportional scaling reads.
/// </summary>
internal static class DeploymentAnnotations
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";

    /// <summary>Upstream's limit on the length of revision-history.</summary>
    public const int MaxRevisionHistoryLengthInChars = 2000;

    /// <summary>Deployment annotations that are not copied to its ReplicaSets.</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", Revision, RevisionHistory, DesiredReplicas, MaxReplicas,
        "deprecated.deployment.rollback.to",
    };

    /// <summary>The RS's revision; 0 when absent or not a number.</summary>
    public static long RevisionOf(V1ReplicaSet rs) =>
        long.TryParse(Get(rs.Metadata, Revision), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    public static long MaxRevision(IEnumerable<V1ReplicaSet> replicaSets) => replicaSets.Select(RevisionOf).DefaultIfEmpty(0).Max();

    public static int? IntAnnotation(V1ReplicaSet rs, string name) =>
        int.TryParse(Get(rs.Metadata, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// Brings a new (or reused) RS's annotations up to date (upstream SetNewReplicaSetAnnotations): the deployment's
    /// own annotations, the new revision, the revision it had before when it is reused (revision-history, trimmed
    /// from the oldest to <see cref="MaxRevisionHistoryLengthInChars"/>), and for a new RS the replica counts.
    /// Mutates <paramref name="rs"/>; true when anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet rs, long newRevision, bool exists)
    {
        var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var changed = CopyDeploymentAnnotations(d, annotations);
        var oldRevisionText = Get(rs.Metadata, Revision);
        var oldRevision = RevisionOf(rs);
        if (oldRevisionText is not null && oldRevision == 0 && oldRevisionText != "0")
        {
            return changed; // not a number: leave it alone, as upstream does
        }
        if (oldRevision < newRevision)
        {
            annotations[Revision] = newRevision.ToString(CultureInfo.InvariantCulture);
            changed = true;
            if (!string.IsNullOrEmpty(oldRevisionText))
            {
                AppendRevisionHistory(annotations, oldRevisionText);
            }
        }
        if (!exists)
        {
            SetReplicas(rs, RollingMath.Replicas(d), RollingMath.Replicas(d) + RollingMath.MaxSurge(d));
            changed = true;
        }
        return changed;
    }

    private static void AppendRevisionHistory(IDictionary<string, string> annotations, string oldRevision)
    {
        var history = annotations.TryGetValue(RevisionHistory, out var h) ? h : string.Empty;
        if (history.Length == 0)
        {
            annotations[RevisionHistory] = oldRevision;
            return;
        }
        var revisions = history.Split(',').ToList();
        var total = history.Length + oldRevision.Length + 1;
        var start = 0;
        while (total > MaxRevisionHistoryLengthInChars && start < revisions.Count)
        {
            total -= revisions[start].Length + 1;
            start++;
        }
        if (total <= MaxRevisionHistoryLengthInChars)
        {
            annotations[RevisionHistory] = string.Join(',', revisions.Skip(start).Append(oldRevision));
        }
    }

    private static bool CopyDeploymentAnnotations(V1Deployment d, IDictionary<string, string> target)
    {
        var changed = false;
        foreach (var (key, value) in d.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (NotCopied.Contains(key) || (target.TryGetValue(key, out var existing) && existing == value))
            {
                continue;
            }
            target[key] = value;
            changed = true;
        }
        return changed;
    }

    /// <summary>Sets desired-replicas and max-replicas; true when either changed (SetReplicasAnnotations).</summary>
    public static bool SetReplicas(V1ReplicaSet rs, int desired, int max)
    {
        if (!ReplicasNeedUpdate(rs, desired, max))
        {
            return false;
        }
        var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
        annotations[DesiredReplicas] = desired.ToString(CultureInfo.InvariantCulture);
        annotations[MaxReplicas] = max.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    public static bool ReplicasNeedUpdate(V1ReplicaSet rs, int desired, int max) =>
        IntAnnotation(rs, DesiredReplicas) != desired || IntAnnotation(rs, MaxReplicas) != max;

    /// <summary>Sets the deployment's revision annotation; true when it changed (SetDeploymentRevision).</summary>
    public static bool SetDeploymentRevision(V1Deployment d, string revision)
    {
        var annotations = d.Metadata.Annotations ??= new Dictionary<string, string>();
        if (annotations.TryGetValue(Revision, out var current) && current == revision)
        {
            return false;
        }
        annotations[Revision] = revision;
        return true;
    }

    /// <summary>The revision annotation's text, empty when absent.</summary>
    public static string RevisionText(V1ReplicaSet rs) => Get(rs.Metadata, Revision) ?? string.Empty;

    private static string? Get(V1ObjectMeta metadata, string name) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : null;
}
