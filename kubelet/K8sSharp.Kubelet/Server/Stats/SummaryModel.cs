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
