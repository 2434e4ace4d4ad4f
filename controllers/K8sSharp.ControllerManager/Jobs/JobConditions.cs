using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Job condition helpers (upstream newCondition, ensureJobConditionStatus, IsJobFinished).</summary>
internal static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";
    public const string Suspended = "Suspended";

    public static V1JobCondition New(string type, string reason, string message, DateTimeOffset now, string status = "True")
    {
        // metav1.Time has whole seconds on the wire.
        var time = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return new V1JobCondition
        {
            Type = type,
            Status = status,
            Reason = string.IsNullOrEmpty(reason) ? null : reason,
            Message = string.IsNullOrEmpty(message) ? null : message,
            LastProbeTime = time,
            LastTransitionTime = time,
        };
    }

    public static V1JobCondition? Find(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(V1Job job, string type) => Find(job, type)?.Status == "True";

    /// <summary>Complete or Failed is True: the Job is done for good.</summary>
    public static bool IsFinished(V1Job job) => IsTrue(job, Complete) || IsTrue(job, Failed);

    /// <summary>
    /// Sets the condition of <paramref name="type"/> to the given status/reason/message, appending it unless it would
    /// be a new False condition. Returns whether anything changed.
    /// </summary>
    public static bool Ensure(V1Job job, string type, string status, string reason, string message, DateTimeOffset now)
    {
        job.Status.Conditions ??= [];
        var conditions = job.Status.Conditions;
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Type != type)
            {
                continue;
            }
            if (conditions[i].Status == status && (conditions[i].Reason ?? "") == reason && (conditions[i].Message ?? "") == message)
            {
                return false;
            }
            conditions[i] = New(type, reason, message, now, status);
            return true;
        }
        if (status == "False")
        {
            return false;
        }
        conditions.Add(New(type, reason, message, now, status));
        return true;
    }
}
