using System.Globalization;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>
/// Reads a kubelet's <c>/metrics/resource</c> (Prometheus text format) into one <see cref="NodeScrape"/>: the
/// families metrics-server decodes (<c>node_cpu_usage_seconds_total</c>, <c>node_memory_working_set_bytes</c>,
/// <c>container_cpu_usage_seconds_total</c>, <c>container_memory_working_set_bytes</c>, <c>container_start_time_seconds</c>),
/// each sample with its timestamp. Other families, comments and malformed lines are skipped, as metrics-server does.
/// </summary>
internal static class ResourceMetricsText
{
    public static NodeScrape Parse(string text, DateTimeOffset scrapedAt)
    {
        ArgumentNullException.ThrowIfNull(text);
        var node = new PointBuilder();
        var containers = new Dictionary<ContainerKey, PointBuilder>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || ParseSample(line, scrapedAt) is not { } sample)
            {
                continue;
            }
            switch (sample.Name)
            {
                case "node_cpu_usage_seconds_total":
                    node.SetCpu(sample.Value, sample.Time);
                    break;
                case "node_memory_working_set_bytes":
                    node.Memory = sample.Value;
                    break;
                case "container_cpu_usage_seconds_total" or "container_memory_working_set_bytes" or "container_start_time_seconds":
                    if (ContainerOf(sample.Labels) is { } key)
                    {
                        var point = containers.TryGetValue(key, out var existing) ? existing : containers[key] = new PointBuilder();
                        point.Add(sample);
                    }
                    break;
            }
        }
        return new NodeScrape(node.Build(), containers
            .Select(c => (c.Key, Point: c.Value.Build()))
            .Where(c => c.Point is not null)
            .ToDictionary(c => c.Key, c => c.Point!));
    }

    private static ContainerKey? ContainerOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue("namespace", out var ns) && labels.TryGetValue("pod", out var pod) && labels.TryGetValue("container", out var container)
            ? new ContainerKey(ns, pod, container)
            : null;

    /// <summary>One line <c>name{label="value",...} value [timestamp-ms]</c>; null when it is not one.</summary>
    internal static Sample? ParseSample(string line, DateTimeOffset scrapedAt)
    {
        var nameEnd = line.IndexOfAny([' ', '{']);
        if (nameEnd <= 0)
        {
            return null;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = nameEnd;
        if (line[nameEnd] == '{' && !TryParseLabels(line, nameEnd + 1, labels, out rest))
        {
            return null;
        }
        var fields = line[rest..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        var time = scrapedAt;
        if (fields.Length > 1)
        {
            if (!long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
            {
                return null;
            }
            time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }
        return new Sample(line[..nameEnd], labels, value, time);
    }

    /// <summary>Reads <c>k="v",...}</c> from <paramref name="start"/>; <paramref name="end"/> is just past the brace.</summary>
    private static bool TryParseLabels(string line, int start, Dictionary<string, string> labels, out int end)
    {
        var i = start;
        end = line.Length;
        while (i < line.Length)
        {
            if (line[i] == '}')
            {
                end = i + 1;
                return true;
            }
            var equals = line.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                return false;
            }
            var key = line[i..equals].Trim();
            var value = new System.Text.StringBuilder();
            i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }
            if (i >= line.Length)
            {
                return false;
            }
            labels[key] = value.ToString();
            i++;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }
        return false;
    }

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, DateTimeOffset Time);

    /// <summary>Collects one object's CPU, memory and start time; complete only with both CPU and memory.</summary>
    private sealed class PointBuilder
    {
        private double? cpuSeconds;
        private DateTimeOffset time;
        private DateTimeOffset? startTime;

        public double? Memory { get; set; }

        public void SetCpu(double seconds, DateTimeOffset at)
        {
            cpuSeconds = seconds;
            time = at;
        }

        public void Add(Sample sample)
        {
            switch (sample.Name)
            {
                case "container_cpu_usage_seconds_total":
                    SetCpu(sample.Value, sample.Time);
                    break;
                case "container_memory_working_set_bytes":
                    Memory = sample.Value;
                    break;
                default:
                    startTime = DateTimeOffset.FromUnixTimeMilliseconds((long)(sample.Value * 1000));
                    break;
            }
        }

        public MetricsPoint? Build() => cpuSeconds is { } cpu && Memory is { } memory
            ? new MetricsPoint(time, (ulong)Math.Round(cpu * 1e9), (ulong)memory, startTime)
            : null;
    }
}
