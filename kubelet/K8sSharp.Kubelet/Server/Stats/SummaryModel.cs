using System.Text.Json.Serialization;

namespace K8sSharp.Kubelet.Server.Stats;

// The Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1) as far as this kubelet fills it: node and per-pod/container
// CPU and memory. Field names are upstream's JSON names; absent values are omitted, as upstream's omitempty.

internal sealed record Summary(
    [property: JsonPropertyName("node")] NodeStats Node,
    [property: JsonPropertyName("pods")] IReadOnlyList<PodStats> Pods);

internal sealed record NodeStats(
    [property: JsonPropertyName("nodeName")] string NodeName,
    [property: JsonPropertyName("startTime")] DateTimeOffset StartTime,
    [property: JsonPropertyName("cpu")] CpuStats Cpu,
    [property: JsonPropertyName("memory")] MemoryStats Memory);

internal sealed record PodReference(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("uid")] string Uid);

internal sealed record PodStats(
    [property: JsonPropertyName("podRef")] PodReference PodRef,
    [property: JsonPropertyName("startTime")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("containers")] IReadOnlyList<ContainerStats> Containers,
    [property: JsonPropertyName("cpu")] CpuStats Cpu,
    [property: JsonPropertyName("memory")] MemoryStats Memory);

internal sealed record ContainerStats(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("startTime")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("cpu")] CpuStats Cpu,
    [property: JsonPropertyName("memory")] MemoryStats Memory);

/// <summary>Cumulative CPU time in core-nanoseconds, and the rate since the previous sample in nano-cores (none on the first).</summary>
internal sealed record CpuStats(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("usageNanoCores")] ulong? UsageNanoCores,
    [property: JsonPropertyName("usageCoreNanoSeconds")] ulong UsageCoreNanoSeconds);

internal sealed record MemoryStats(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("availableBytes")] ulong? AvailableBytes,
    [property: JsonPropertyName("usageBytes")] ulong UsageBytes,
    [property: JsonPropertyName("workingSetBytes")] ulong WorkingSetBytes,
    [property: JsonPropertyName("rssBytes")] ulong? RssBytes,
    [property: JsonPropertyName("pageFaults")] ulong? PageFaults,
    [property: JsonPropertyName("majorPageFaults")] ulong? MajorPageFaults);

/// <summary>Times as metav1.Time writes them: RFC 3339 in UTC, whole seconds (<c>2024-01-01T00:00:00Z</c>).</summary>
internal sealed class MetaTimeConverter : System.Text.Json.Serialization.JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(System.Text.Json.Utf8JsonWriter writer, DateTimeOffset value, System.Text.Json.JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
