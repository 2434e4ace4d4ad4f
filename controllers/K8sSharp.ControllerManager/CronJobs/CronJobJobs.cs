using System.Globalization;
using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>The Jobs a CronJob starts (upstream getJobFromTemplate2, getJobName) and how status.active refers to them.</summary>
internal static class CronJobJobs
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>
    /// The Job for one start (upstream getJobFromTemplate2): named <c>&lt;cronjob&gt;-&lt;minutes since epoch&gt;</c>,
    /// the template's labels and annotations plus the scheduled time (RFC 3339, in the CronJob's zone), controlled by
    /// the CronJob.
    /// </summary>
    public static V1Job FromTemplate(V1CronJob cronJob, DateTimeOffset scheduled)
    {
        var template = KubernetesJson.Deserialize<V1JobTemplateSpec>(KubernetesJson.Serialize(cronJob.Spec.JobTemplate));
        var zone = TimeZones.Find(cronJob.Spec.TimeZone) ?? TimeZoneInfo.Utc;
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            [ScheduledTimestampAnnotation] = Rfc3339(TimeZoneInfo.ConvertTime(scheduled, zone)),
        };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = Name(cronJob, scheduled),
                NamespaceProperty = cronJob.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>()),
                Annotations = annotations,
                OwnerReferences = [CronJobController.OwnerReference(cronJob)],
            },
            Spec = template.Spec,
        };
    }

    public static string Name(V1CronJob cronJob, DateTimeOffset scheduled) =>
        $"{cronJob.Metadata.Name}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Go's time.RFC3339: <c>Z</c> for UTC, else <c>±hh:mm</c>.</summary>
    private static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static V1ObjectReference Reference(V1Job job) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Name = job.Metadata.Name,
        NamespaceProperty = job.Metadata.NamespaceProperty,
        Uid = job.Metadata.Uid,
        ResourceVersion = job.Metadata.ResourceVersion,
    };
}
