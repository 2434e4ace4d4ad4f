using System.Globalization;
using System.Text;

namespace K8sSharp.Kubelet.Server.Stats;

/// <summary>
/// <c>/metrics/resource</c> in the Prometheus text format, the names metrics-server scrapes (upstream's resource
/// metrics endpoint): cumulative CPU seconds and working-set bytes for the node, each pod and each container, with
/// the sample time as the timestamp.
/// </summary>
internal static class ResourceMetrics
{
    public static string Format(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new StringBuilder();
        Family(text, "container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the container in core-seconds",
            summary.Pods.SelectMany(p => p.Containers.Select(c => (ContainerLabels(p, c), Seconds(c.Cpu.UsageCoreNanoSeconds), c.Cpu.Time))));
        Family(text, "container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes",
            summary.Pods.SelectMany(p => p.Containers.Select(c => (ContainerLabels(p, c), (double)c.Memory.WorkingSetBytes, c.Memory.Time))));
        Family(text, "container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds",
            summary.Pods.SelectMany(p => p.Containers.Where(c => c.StartTime is not null).Select(c => (ContainerLabels(p, c), (double)c.StartTime!.Value.ToUnixTimeSeconds(), c.Cpu.Time))));
        Family(text, "node_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the node in core-seconds",
            [("", Seconds(summary.Node.Cpu.UsageCoreNanoSeconds), summary.Node.Cpu.Time)]);
        Family(text, "node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes",
            [("", (double)summary.Node.Memory.WorkingSetBytes, summary.Node.Memory.Time)]);
        Family(text, "pod_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the pod in core-seconds",
            summary.Pods.Select(p => (PodLabels(p), Seconds(p.Cpu.UsageCoreNanoSeconds), p.Cpu.Time)));
        Family(text, "pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes",
            summary.Pods.Select(p => (PodLabels(p), (double)p.Memory.WorkingSetBytes, p.Memory.Time)));
        text.Append("# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE scrape_error gauge\nscrape_error 0\n");
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double Value, DateTimeOffset Time)> samples)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} [STABLE] {help}\n# TYPE {name} {type}\n");
        foreach (var (labels, value, time) in samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value.ToString("R", CultureInfo.InvariantCulture)} {time.ToUnixTimeMilliseconds()}\n");
        }
    }

    private static double Seconds(ulong nanoseconds) => nanoseconds / 1e9;

    private static string ContainerLabels(PodStats pod, ContainerStats container) =>
        $"{{container=\"{Escape(container.Name)}\",namespace=\"{Escape(pod.PodRef.Namespace)}\",pod=\"{Escape(pod.PodRef.Name)}\"}}";

    private static string PodLabels(PodStats pod) => $"{{namespace=\"{Escape(pod.PodRef.Namespace)}\",pod=\"{Escape(pod.PodRef.Name)}\"}}";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
