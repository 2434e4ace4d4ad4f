namespace K8sSharp.Api.Schema;

/// <summary>
/// Discovery facts the OpenAPI documents do not carry: short names and categories, as kube-apiserver 1.35
/// registers them in its storage providers (<c>ShortNames()</c>, <c>Categories()</c>).
/// </summary>
public static class ResourceHints
{
    private static readonly string[] All = ["all"];

    private static readonly Dictionary<string, string[]> ShortNamesByResource = new(StringComparer.Ordinal)
    {
        ["componentstatuses"] = ["cs"],
        ["configmaps"] = ["cm"],
        ["endpoints"] = ["ep"],
        ["events"] = ["ev"],
        ["limitranges"] = ["limits"],
        ["namespaces"] = ["ns"],
        ["nodes"] = ["no"],
        ["persistentvolumeclaims"] = ["pvc"],
        ["persistentvolumes"] = ["pv"],
        ["pods"] = ["po"],
        ["replicationcontrollers"] = ["rc"],
        ["resourcequotas"] = ["quota"],
        ["serviceaccounts"] = ["sa"],
        ["services"] = ["svc"],
        ["customresourcedefinitions.apiextensions.k8s.io"] = ["crd", "crds"],
        ["daemonsets.apps"] = ["ds"],
        ["deployments.apps"] = ["deploy"],
        ["replicasets.apps"] = ["rs"],
        ["statefulsets.apps"] = ["sts"],
        ["horizontalpodautoscalers.autoscaling"] = ["hpa"],
        ["cronjobs.batch"] = ["cj"],
        ["certificatesigningrequests.certificates.k8s.io"] = ["csr"],
        ["events.events.k8s.io"] = ["ev"],
        ["ingresses.networking.k8s.io"] = ["ing"],
        ["networkpolicies.networking.k8s.io"] = ["netpol"],
        ["poddisruptionbudgets.policy"] = ["pdb"],
        ["priorityclasses.scheduling.k8s.io"] = ["pc"],
        ["storageclasses.storage.k8s.io"] = ["sc"],
    };

    private static readonly HashSet<string> InCategoryAll = new(StringComparer.Ordinal)
    {
        "pods", "replicationcontrollers", "services", "daemonsets.apps", "deployments.apps", "replicasets.apps",
        "statefulsets.apps", "horizontalpodautoscalers.autoscaling", "cronjobs.batch", "jobs.batch",
    };

    public static IReadOnlyList<string> ShortNames(string groupResource) =>
        ShortNamesByResource.TryGetValue(groupResource, out var names) ? names : [];

    public static IReadOnlyList<string> Categories(string groupResource) =>
        InCategoryAll.Contains(groupResource) ? All : [];
}
