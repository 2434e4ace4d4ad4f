using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Quota;

/// <summary>
/// Quota for PersistentVolumeClaims (upstream persistent_volume_claims.go): <c>persistentvolumeclaims</c>,
/// <c>count/persistentvolumeclaims</c>, <c>requests.storage</c> (the claim's <c>spec.resources.requests.storage</c>) and
/// per StorageClass <c>&lt;class&gt;.storageclass.storage.k8s.io/requests.storage</c> and
/// <c>&lt;class&gt;.storageclass.storage.k8s.io/persistentvolumeclaims</c>. Updates are charged (a claim growing).
/// </summary>
public sealed class ClaimQuotaEvaluator() : ObjectCountEvaluator("", "persistentvolumeclaims", "persistentvolumeclaims")
{
    private const string ClassSuffix = ".storageclass.storage.k8s.io/";

    public override bool ChargesUpdates => true;

    public override IReadOnlyList<string> MatchingResources(IEnumerable<string> names)
    {
        var list = names.ToList();
        return [.. base.MatchingResources(list), .. list.Where(n => n == "requests.storage"
            || n.EndsWith(ClassSuffix + "requests.storage", StringComparison.Ordinal)
            || n.EndsWith(ClassSuffix + "persistentvolumeclaims", StringComparison.Ordinal))];
    }

    public override ResourceList Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = base.Usage(obj, now);
        var className = obj.Str("spec", "storageClassName")
            ?? obj.Str("metadata", "annotations", "volume.beta.kubernetes.io/storage-class") ?? "";
        if (className.Length > 0)
        {
            usage[className + ClassSuffix + "persistentvolumeclaims"] = Quantity.Of(1);
        }
        if (Quantity.Parse(obj.Str("spec", "resources", "requests", "storage")) is { } storage)
        {
            usage["requests.storage"] = storage;
            if (className.Length > 0)
            {
                usage[className + ClassSuffix + "requests.storage"] = storage;
            }
        }
        return usage;
    }
}
