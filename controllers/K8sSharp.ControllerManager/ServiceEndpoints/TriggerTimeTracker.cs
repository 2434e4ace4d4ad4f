using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.ServiceEndpoints;

/// <summary>
/// The value of the <c>endpoints.kubernetes.io/last-change-trigger-time</c> annotation (upstream
/// pkg/controller/util/endpoint TriggerTimeTracker): the earliest change, among those since the Service's previous sync,
/// that this sync publishes. A pod's change time is its Ready condition's lastTransitionTime, the Service's its creation
/// time; a Service seen for the first time reports its creation time. Nothing changed: null (the annotation is dropped).
/// One instance per controller; thread-safe (workers never sync the same Service concurrently).
/// </summary>
internal sealed class TriggerTimeTracker
{
    public const string Annotation = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly Lock gate = new();
    private readonly Dictionary<string, State> states = new(StringComparer.Ordinal);

    public DateTime? Compute(string serviceKey, V1Service service, IEnumerable<V1Pod> pods)
    {
        State? previous;
        lock (gate)
        {
            states.TryGetValue(serviceKey, out previous);
        }
        DateTime? earliest = null;
        var podTimes = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastTransitionTime is not { } changed)
            {
                continue;
            }
            podTimes[pod.Metadata.Name] = changed;
            if (previous is null || !previous.PodTimes.TryGetValue(pod.Metadata.Name, out var seen) || changed > seen)
            {
                earliest = Min(earliest, changed);
            }
        }
        var serviceTime = service.Metadata.CreationTimestamp ?? DateTime.MinValue;
        if (previous is null || serviceTime > previous.ServiceTime)
        {
            earliest = Min(earliest, serviceTime);
        }
        lock (gate)
        {
            states[serviceKey] = new State(podTimes, serviceTime);
        }
        return previous is null ? service.Metadata.CreationTimestamp : earliest;
    }

    public void Forget(string serviceKey)
    {
        lock (gate)
        {
            states.Remove(serviceKey);
        }
    }

    /// <summary>RFC 3339 with whole seconds, as metav1.Time marshals.</summary>
    public static string Format(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime Min(DateTime? a, DateTime b) => a is { } x && x < b ? x : b;

    private sealed record State(Dictionary<string, DateTime> PodTimes, DateTime ServiceTime);
}
