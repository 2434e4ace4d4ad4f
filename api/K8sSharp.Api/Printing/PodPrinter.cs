using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Pods, following upstream printPod: the Status column is the most specific reason available
/// (init progress, a container's waiting/terminated reason, Terminating, ...), Ready counts ready regular
/// and started sidecar containers, Restarts adds "(age ago)" of the most recent container termination.
/// </summary>
internal static class PodPrinter
{
    private static readonly TableColumn[] Columns =
    [
        Col.Name,
        Col.Str("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        Col.Str("Status", "The aggregate status of the containers in this pod."),
        Col.Str("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Col.Age,
        Col.Str("IP", ColumnDocs.PodIP, 1),
        Col.Str("Node", ColumnDocs.PodNodeName, 1),
        Col.Str("Nominated Node", ColumnDocs.PodNominatedNode, 1),
        Col.Str("Readiness Gates", ColumnDocs.PodReadinessGates, 1),
    ];

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("", "Pod", Columns, Cells);
    }

    private static JsonArray Cells(JsonObject pod, DateTimeOffset now)
    {
        var summary = Summarize(pod);
        var restarts = summary.Restarts.ToString(CultureInfo.InvariantCulture);
        if (summary.Restarts != 0 && summary.LastRestart is { } last)
        {
            restarts += " (" + HumanDuration.Since(last, now) + " ago)";
        }
        return new JsonArray(
            PrintFormat.Name(pod),
            PrintFormat.Ratio(summary.Ready, summary.Total),
            summary.Reason,
            restarts,
            PrintFormat.CreationAge(pod, now),
            PrintFormat.OrNone(PodIP(pod)),
            PrintFormat.OrNone(pod.S("spec", "nodeName")),
            PrintFormat.OrNone(pod.S("status", "nominatedNodeName")),
            ReadinessGates(pod));
    }

    /// <summary>Mutable tallies while walking the container statuses.</summary>
    private sealed class Summary
    {
        public int Restarts;
        public int RestartableInitRestarts;
        public int Ready;
        public int Total;
        public DateTimeOffset? LastRestart;
        public DateTimeOffset? LastRestartableInitRestart;
        public string Reason = "";
    }

    private static Summary Summarize(JsonObject pod)
    {
        var status = pod.Obj("status");
        var summary = new Summary { Reason = status.S("reason") is { Length: > 0 } r ? r : status.S("phase") };
        if (status.Objects("conditions").Any(c => c.S("type") == "PodScheduled" && c.S("reason") == "SchedulingGated"))
        {
            summary.Reason = "SchedulingGated";
        }
        var restartableInit = pod.Objects("spec", "initContainers")
            .Where(c => c.S("restartPolicy") == "Always")
            .Select(c => c.S("name"))
            .ToHashSet(StringComparer.Ordinal);
        summary.Total = pod.Arr("spec", "containers").Count + restartableInit.Count;

        var initializing = ScanInitContainers(pod, restartableInit, summary);
        if (!initializing || HasCondition(status, "Initialized"))
        {
            summary.Restarts = summary.RestartableInitRestarts;
            summary.LastRestart = summary.LastRestartableInitRestart;
            ScanContainers(status, summary);
        }
        ApplyDeletion(pod, summary);
        return summary;
    }

    // Walks init containers in order and stops at the first one that has not finished; returns whether
    // the pod is still initializing. Restarts of all visited init containers count until then.
    private static bool ScanInitContainers(JsonObject pod, HashSet<string> restartableInit, Summary summary)
    {
        var statuses = pod.Objects("status", "initContainerStatuses").ToList();
        var specCount = pod.Arr("spec", "initContainers").Count;
        for (var i = 0; i < statuses.Count; i++)
        {
            var container = statuses[i];
            var restartable = restartableInit.Contains(container.S("name"));
            CountRestarts(container, summary, restartable);
            var terminated = container.Obj("state", "terminated");
            var waiting = container.Obj("state", "waiting");
            if (terminated is not null && terminated.L("exitCode") == 0)
            {
                continue;
            }
            if (restartable && container.Bool("started") == true)
            {
                summary.Ready += container.Bool("ready") == true ? 1 : 0;
                continue;
            }
            summary.Reason = terminated is not null
                ? "Init:" + TerminationReason(terminated)
                : waiting is not null && waiting.S("reason") is { Length: > 0 } w && w != "PodInitializing"
                    ? "Init:" + w
                    : string.Create(CultureInfo.InvariantCulture, $"Init:{i}/{specCount}");
            return true;
        }
        return false;
    }

    private static void CountRestarts(JsonObject container, Summary summary, bool restartableInit)
    {
        var count = (int)container.L("restartCount");
        var finished = container.Time("lastState", "terminated", "finishedAt");
        summary.Restarts += count;
        summary.LastRestart = Latest(summary.LastRestart, finished);
        if (restartableInit)
        {
            summary.RestartableInitRestarts += count;
            summary.LastRestartableInitRestart = Latest(summary.LastRestartableInitRestart, finished);
        }
    }

    // Regular containers are visited last-to-first, so the first container's state wins the reason.
    private static void ScanContainers(JsonObject? status, Summary summary)
    {
        var statuses = status.Objects("containerStatuses").ToList();
        var hasRunning = false;
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            var container = statuses[i];
            summary.Restarts += (int)container.L("restartCount");
            summary.LastRestart = Latest(summary.LastRestart, container.Time("lastState", "terminated", "finishedAt"));
            var waiting = container.Obj("state", "waiting");
            var terminated = container.Obj("state", "terminated");
            if (waiting is not null && waiting.S("reason").Length > 0)
            {
                summary.Reason = waiting.S("reason");
            }
            else if (terminated is not null)
            {
                summary.Reason = terminated.S("reason") is { Length: > 0 } reason ? reason : TerminationReason(terminated);
            }
            else if (container.Bool("ready") == true && container.Obj("state", "running") is not null)
            {
                hasRunning = true;
                summary.Ready++;
            }
        }
        if (summary.Reason == "Completed" && hasRunning)
        {
            var ready = status.Objects("conditions").Any(c => c.S("type") == "Ready" && c.S("status") == "True");
            summary.Reason = ready ? "Running" : "NotReady";
        }
    }

    private static void ApplyDeletion(JsonObject pod, Summary summary)
    {
        if (pod.At("metadata", "deletionTimestamp") is null)
        {
            return;
        }
        var phase = pod.S("status", "phase");
        if (pod.S("status", "reason") == "NodeLost")
        {
            summary.Reason = "Unknown";
        }
        else if (phase is not ("Failed" or "Succeeded"))
        {
            summary.Reason = "Terminating";
        }
    }

    // A termination without a reason is described by its signal, else its exit code.
    private static string TerminationReason(JsonObject terminated)
    {
        if (terminated.S("reason") is { Length: > 0 } reason)
        {
            return reason;
        }
        var signal = terminated.L("signal");
        return signal != 0
            ? string.Create(CultureInfo.InvariantCulture, $"Signal:{signal}")
            : string.Create(CultureInfo.InvariantCulture, $"ExitCode:{terminated.L("exitCode")}");
    }

    // The first condition of the type decides, as in upstream isPodInitializedConditionTrue.
    private static bool HasCondition(JsonNode? status, string type)
    {
        foreach (var condition in status.Objects("conditions"))
        {
            if (condition.S("type") == type)
            {
                return condition.S("status") == "True";
            }
        }
        return false;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? current, DateTimeOffset? candidate) =>
        candidate is { } c && (current is not { } cur || cur < c) ? c : current;

    private static string PodIP(JsonObject pod)
    {
        var ips = pod.Objects("status", "podIPs").ToList();
        return ips.Count > 0 ? ips[0].S("ip") : pod.S("status", "podIP");
    }

    private static string ReadinessGates(JsonObject pod)
    {
        var gates = pod.Objects("spec", "readinessGates").ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }
        var conditions = pod.Objects("status", "conditions").ToList();
        var satisfied = gates.Count(gate =>
            conditions.FirstOrDefault(c => c.S("type") == gate.S("conditionType")) is { } c && c.S("status") == "True");
        return PrintFormat.Ratio(satisfied, gates.Count);
    }
}
