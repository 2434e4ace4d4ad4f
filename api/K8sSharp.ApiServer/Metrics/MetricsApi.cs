using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>
/// The resource metrics API, <c>metrics.k8s.io/v1beta1</c>. Upstream serves it from metrics-server behind API
/// aggregation; a single-binary cluster has no second server to aggregate, so this API server serves the group
/// natively: the same discovery entries (get and list of NodeMetrics and PodMetrics, which keeps them out of the
/// garbage collector's and namespace deleter's work), the same URLs and objects, usage scraped from the kubelets as
/// metrics-server does (<see cref="MetricsScraper"/>). Stock <c>kubectl top</c> and HPA clients cannot tell the difference.
/// </summary>
internal static class MetricsApi
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";

    public static ApiResource Nodes { get; } = new(Group, Version, "nodes", "NodeMetrics", false, ["get", "list"], [], [], []);

    public static ApiResource Pods { get; } = new(Group, Version, "pods", "PodMetrics", true, ["get", "list"], [], [], []);

    /// <summary>The built-in catalog plus this group, for discovery.</summary>
    public static ApiCatalog WithMetrics(ApiCatalog catalog) => new([.. catalog.Resources, Nodes, Pods]);
}
