using System.Globalization;
using System.Text.Json.Nodes;

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
        ["window"] = GoDuration(usage.Window),
        ["usage"] = UsageOf(usage),
    };

    public static JsonObject Pod(JsonObject pod, PodUsage usage, DateTimeOffset now) => new()
    {
        ["kind"] = MetricsApi.Pods.Kind,
        ["apiVersion"] = MetricsApi.Pods.ApiVersion,
        ["metadata"] = Metadata(pod, now),
        ["timestamp"] = Time(usage.Timestamp),
        ["window"] = GoDuration(usage.Window),
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

    /// <summary>A DecimalSI quantity of scale -9 in canonical form: the largest of n, u, m or none that keeps it whole.</summary>
    public static string Cpu(ulong nanocores) => nanocores switch
    {
        0 => "0",
        _ when nanocores % 1_000_000_000 == 0 => Invariant(nanocores / 1_000_000_000),
        _ when nanocores % 1_000_000 == 0 => Invariant(nanocores / 1_000_000) + "m",
        _ when nanocores % 1_000 == 0 => Invariant(nanocores / 1_000) + "u",
        _ => Invariant(nanocores) + "n",
    };

    /// <summary>A BinarySI quantity in canonical form: the largest binary suffix that keeps it whole, else bytes.</summary>
    public static string Memory(ulong bytes)
    {
        string[] suffixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var suffix = -1;
        while (bytes != 0 && bytes % 1024 == 0 && suffix < suffixes.Length - 1)
        {
            bytes /= 1024;
            suffix++;
        }
        return Invariant(bytes) + (suffix < 0 ? string.Empty : suffixes[suffix]);
    }

    /// <summary>Go's <c>time.Duration.String()</c> for the window: <c>10.012s</c>, <c>1m0.5s</c>, <c>500ms</c>.</summary>
    public static string GoDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture) + "ms";
        }
        var text = new System.Text.StringBuilder();
        if (duration.TotalHours >= 1)
        {
            text.Append(Invariant((ulong)duration.TotalHours)).Append('h');
        }
        if (duration.TotalMinutes >= 1)
        {
            text.Append(Invariant((ulong)duration.Minutes)).Append('m');
        }
        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        return text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s').ToString();
    }

    private static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
