using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Quota;

/// <summary>
/// Quota for pods (upstream pkg/quota/v1/evaluator/core/pods.go): <c>count/pods</c> for every stored pod; <c>pods</c>
/// and the compute resources (<c>cpu</c>/<c>requests.cpu</c>, <c>limits.cpu</c>, the same for memory and
/// ephemeral-storage, <c>requests.&lt;extended&gt;</c>) only while the pod is not terminal (Succeeded/Failed) and not past
/// its deletion grace period. A quota on cpu or memory requires every container to state that request or limit.
/// </summary>
public sealed class PodQuotaEvaluator() : ObjectCountEvaluator("", "pods")
{
    private static readonly string[] ComputeResources =
    [
        "pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    ];

    private static readonly string[] RequestableResources = ["cpu", "memory", "ephemeral-storage"];
    private static readonly string[] AffinityKinds = ["podAffinity", "podAntiAffinity"];

    /// <summary>The resources a pod must state explicitly when a quota tracks them (upstream's validationSet).</summary>
    private static readonly string[] MustSpecify = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

    public override IReadOnlyList<string> MatchingResources(IEnumerable<string> names) =>
        [.. names.Where(n => n == CountName || ComputeResources.Contains(n) || n.StartsWith("hugepages-", StringComparison.Ordinal)
            || (n.StartsWith("requests.", StringComparison.Ordinal) && n.Contains('/', StringComparison.Ordinal))
            || n.StartsWith("requests.hugepages-", StringComparison.Ordinal))];

    public override ResourceList Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = new ResourceList { [CountName] = Quantity.Of(1) };
        return IsCharged(obj, now) ? usage.Plus(ComputeUsage(PodResources.Requests(obj), PodResources.Limits(obj))) : usage;
    }

    /// <summary>Upstream's QuotaV1Pod: not terminal, and not past its deletion time plus grace period.</summary>
    public static bool IsCharged(JsonObject pod, DateTimeOffset now)
    {
        if (pod.Str("status", "phase") is "Succeeded" or "Failed")
        {
            return false;
        }
        return pod.Time("metadata", "deletionTimestamp") is not { } deleted
            || pod.Long("metadata", "deletionGracePeriodSeconds") is not { } grace
            || now <= deleted.AddSeconds(grace);
    }

    public override string? Constraints(IReadOnlyCollection<string> required, JsonObject obj)
    {
        var requiredSet = required.Where(MustSpecify.Contains).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var container in obj.Objects("spec", "containers").Concat(obj.Objects("spec", "initContainers")))
        {
            var stated = ComputeUsage(ResourceList.FromJson(container.Obj("resources", "requests")), ResourceList.FromJson(container.Obj("resources", "limits")));
            foreach (var name in requiredSet.Where(n => !stated.ContainsKey(n)))
            {
                (missing.TryGetValue(name, out var names) ? names : missing[name] = new SortedSet<string>(StringComparer.Ordinal)).Add(container.S("name"));
            }
        }
        return missing.Count == 0
            ? null
            : "must specify " + string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(",", m.Value)}"));
    }

    public override bool MatchesScope(ScopeRequirement scope, JsonObject obj) => scope.ScopeName switch
    {
        "Terminating" => IsTerminating(obj),
        "NotTerminating" => !IsTerminating(obj),
        "BestEffort" => IsBestEffort(obj),
        "NotBestEffort" => !IsBestEffort(obj),
        "PriorityClass" => MatchesPriorityClass(scope, obj.Str("spec", "priorityClassName") ?? ""),
        "CrossNamespacePodAffinity" => UsesCrossNamespaceAffinity(obj),
        _ => false,
    };

    /// <summary>Upstream's podComputeUsageHelper: the quota names a set of requests and limits charge.</summary>
    private static ResourceList ComputeUsage(ResourceList requests, ResourceList limits)
    {
        var usage = new ResourceList { ["pods"] = Quantity.Of(1) };
        foreach (var name in RequestableResources)
        {
            if (requests.TryGetValue(name, out var request))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }
            if (limits.TryGetValue(name, out var limit))
            {
                usage["limits." + name] = limit;
            }
        }
        foreach (var (name, request) in requests)
        {
            if (name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                usage[name] = request;
                usage["requests." + name] = request;
            }
            else if (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith("kubernetes.io/", StringComparison.Ordinal))
            {
                usage["requests." + name] = request;
            }
        }
        return usage;
    }

    private static bool IsTerminating(JsonObject pod) => pod.Long("spec", "activeDeadlineSeconds") is >= 0;

    private static bool IsBestEffort(JsonObject pod) => pod["spec"] is JsonObject spec && PodAdmissionDefaults.QosClass(spec) == "BestEffort";

    private static bool MatchesPriorityClass(ScopeRequirement scope, string className) => scope.Operator switch
    {
        "Exists" => className.Length > 0,
        "DoesNotExist" => className.Length == 0,
        "In" => className.Length > 0 && scope.Values.Contains(className),
        "NotIn" => className.Length == 0 || !scope.Values.Contains(className),
        _ => false,
    };

    private static bool UsesCrossNamespaceAffinity(JsonObject pod) =>
        AffinityKinds.Any(kind =>
            pod.Objects("spec", "affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution")
                .Concat(pod.Objects("spec", "affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution").Select(w => w.Obj("podAffinityTerm") ?? []))
                .Any(term => term.Count("namespaces") > 0 || term["namespaceSelector"] is JsonObject));
}
