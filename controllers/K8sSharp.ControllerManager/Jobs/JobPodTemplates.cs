using System.Globalization;
using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Pods from a Job's template (upstream GetPodFromTemplate plus the Job additions of manageJob).</summary>
internal static class JobPodTemplates
{
    /// <summary>
    /// A pod named <c>&lt;job&gt;-&lt;random&gt;</c> (Indexed: <c>&lt;job&gt;-&lt;index&gt;-&lt;random&gt;</c>, hostname
    /// <c>&lt;job&gt;-&lt;index&gt;</c>, the index as annotation, label and JOB_COMPLETION_INDEX), controlled by the Job
    /// and holding the tracking finalizer. With backoffLimitPerIndex it carries the failure counts of its index.
    /// </summary>
    public static V1Pod NewPod(JobSyncContext ctx, int? index)
    {
        var job = ctx.Job;
        // A deep copy: the template belongs to the Job object.
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(job.Spec.Template));
        var metadata = template.Metadata ?? new V1ObjectMeta();
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = job.Metadata.Name + "-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = metadata.Labels ?? new Dictionary<string, string>(),
                Annotations = metadata.Annotations ?? new Dictionary<string, string>(),
                Finalizers = [.. (metadata.Finalizers ?? []).Where(f => f != JobKeys.TrackingFinalizer), JobKeys.TrackingFinalizer],
                OwnerReferences = [JobController.OwnerReference(job)],
            },
            Spec = template.Spec,
        };
        if (index is { } i)
        {
            AddIndex(pod, job.Metadata.Name, i);
            if (ctx.HasBackoffLimitPerIndex)
            {
                var (counted, ignored) = ctx.LastFailed.TryGetValue(i, out var lastFailed)
                    ? IndexedJobs.FailureCounts(job, lastFailed)
                    : (0, 0);
                pod.Metadata.Annotations[JobKeys.IndexFailureCount] = counted.ToString(CultureInfo.InvariantCulture);
                if (ignored > 0)
                {
                    pod.Metadata.Annotations[JobKeys.IndexIgnoredFailureCount] = ignored.ToString(CultureInfo.InvariantCulture);
                }
            }
        }
        return pod;
    }

    private static void AddIndex(V1Pod pod, string jobName, int index)
    {
        var text = index.ToString(CultureInfo.InvariantCulture);
        pod.Metadata.GenerateName = $"{jobName}-{text}-";
        pod.Metadata.Annotations[JobKeys.CompletionIndex] = text;
        pod.Metadata.Labels[JobKeys.CompletionIndex] = text;
        pod.Spec.Hostname = $"{jobName}-{text}";
        var env = new V1EnvVar
        {
            Name = JobKeys.CompletionIndexEnv,
            ValueFrom = new V1EnvVarSource
            {
                FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.annotations['{JobKeys.CompletionIndex}']" },
            },
        };
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            container.Env ??= [];
            if (!container.Env.Any(e => e.Name == JobKeys.CompletionIndexEnv))
            {
                container.Env.Add(env);
            }
        }
    }
}
