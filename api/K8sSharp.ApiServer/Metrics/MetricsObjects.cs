using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Printing;
using K8sSharp.Api.Quota;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>
/// NodeMetrics and PodMetrics objects as metrics-server writes them: the Node's or Pod's name, namespace and labels,
/// <c>creationTimestamp</c> = now, the sample <c>timestamp</c> and <c>window</c>, and usage quantities in canonical
/// form (CPU in nanocores, memory in bytes with binary suffixes).
/// </summary>
internal static class MetricsObjects
{
    public static JsonObject Node(JsonObject node, Usage usage, DateTimeOffset now) => new()
    {
        ["kind"] = MetricsApi.Nodes.Kind,
        ["apiVersion"] = MetricsApi.Nodes.ApiVersion,
        ["metadata"] = Metadata(node, now),
        ["timestamp"] = Time(usage.Timestamp),
        ["window"] = GoDurationText.Format(usage.Window),
        ["usage"] = UsageOf(usage),
    };

    public static JsonObject Pod(JsonObject pod, PodUsage usage, DateTimeOffset now) => new()
    {
        ["kind"] = MetricsApi.Pods.Kind,
        ["apiVersion"] = MetricsApi.Pods.ApiVersion,
        ["metadata"] = Metadata(pod, now),
        ["timestamp"] = Time(usage.Timestamp),
        ["window"] = GoDurationText.Format(usage.Window),
        ["containers"] = new JsonArray([.. usage.Containers.Select(c => new JsonObject { ["name"] = c.Container, ["usage"] = UsageOf(c.Usage) })]),
    };

    private static JsonObject Metadata(JsonObject source, DateTimeOffset now)
    {
        var metadata = new JsonObject { ["name"] = source["metadata"]?["name"]?.DeepClone() };
        if (source["metadata"]?["namespace"] is { } ns)
        {
            metadata["namespace"] = ns.DeepClone();
        }
        metadata["creationTimestamp"] = Time(now);
        if (source["metadata"]?["labels"] is JsonObject labels)
        {
            metadata["labels"] = labels.DeepClone();
        }
        return metadata;
    }

    private static JsonObject UsageOf(Usage usage) => new() { ["cpu"] = Cpu(usage.CpuNanocores), ["memory"] = Memory(usage.MemoryBytes) };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Nanocores as metrics-server writes them (a DecimalSI quantity), in canonical form: <c>250m</c>, <c>186479733n</c>.</summary>
    public static string Cpu(ulong nanocores) => new Quantity(nanocores / 1_000_000_000m, QuantityFormat.DecimalSI).ToString();

    /// <summary>Bytes as a BinarySI quantity in canonical form: <c>304Ki</c>, <c>2Gi</c>, <c>1536</c>.</summary>
    public static string Memory(ulong bytes) => new Quantity(bytes, QuantityFormat.BinarySI).ToString();
}
