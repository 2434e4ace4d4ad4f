using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// The defaults of upstream's <c>pkg/apis/apps/v1/defaults.go</c>, <c>pkg/apis/batch/v1/defaults.go</c> and the
/// ReplicationController/PodTemplate parts of <c>pkg/apis/core/v1/defaults.go</c>. Every pod template inside gets
/// <see cref="PodDefaults.ApplyTemplate"/>. Only unset fields are filled.
/// </summary>
public static class WorkloadDefaults
{
    public const int DefaultRevisionHistoryLimit = 10;

    /// <summary>Dispatches on the lowercase plural resource name; kinds without defaults are left alone.</summary>
    public static void Apply(string resource, JsonObject obj)
    {
        switch (resource)
        {
            case "deployments": Deployment(obj); break;
            case "replicasets": ReplicaSet(obj); break;
            case "daemonsets": DaemonSet(obj); break;
            case "statefulsets": StatefulSet(obj); break;
            case "replicationcontrollers": ReplicationController(obj); break;
            case "jobs": Job(obj); break;
            case "cronjobs": CronJob(obj); break;
            case "podtemplates": PodDefaults.ApplyTemplate(obj.Existing("template")); break;
            default: break;
        }
    }

    public static void Deployment(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("replicas", 1);
        var strategy = spec.Child("strategy");
        strategy.Default("type", "RollingUpdate");
        if (strategy.Text("type") == "RollingUpdate")
        {
            var rolling = strategy.Child("rollingUpdate");
            rolling.Default("maxUnavailable", "25%");
            rolling.Default("maxSurge", "25%");
        }
        spec.Default("revisionHistoryLimit", DefaultRevisionHistoryLimit);
        spec.Default("progressDeadlineSeconds", 600);
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    public static void ReplicaSet(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("replicas", 1);
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    public static void DaemonSet(JsonObject obj)
    {
        var spec = obj.Child("spec");
        var strategy = spec.Child("updateStrategy");
        strategy.Default("type", "RollingUpdate");
        if (strategy.Text("type") == "RollingUpdate")
        {
            var rolling = strategy.Child("rollingUpdate");
            rolling.Default("maxUnavailable", 1);
            rolling.Default("maxSurge", 0);
        }
        spec.Default("revisionHistoryLimit", DefaultRevisionHistoryLimit);
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    /// <summary>
    /// StatefulSets. <c>rollingUpdate.maxUnavailable</c> defaults to 1 because the MaxUnavailableStatefulSet gate
    /// is on by default in 1.35; a RollingUpdate strategy given without <c>rollingUpdate</c> keeps it absent, as upstream.
    /// </summary>
    public static void StatefulSet(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("podManagementPolicy", "OrderedReady");
        var strategy = spec.Child("updateStrategy");
        if (DefaultHelpers.IsUnset(strategy["type"]))
        {
            strategy["type"] = "RollingUpdate";
            strategy.Child("rollingUpdate");
        }
        if (strategy.Text("type") == "RollingUpdate" && strategy.Existing("rollingUpdate") is { } rolling)
        {
            rolling.Default("partition", 0);
            rolling.Default("maxUnavailable", 1);
        }
        spec.Default("replicas", 1);
        spec.Default("revisionHistoryLimit", DefaultRevisionHistoryLimit);
        var retention = spec.Child("persistentVolumeClaimRetentionPolicy");
        retention.Default("whenDeleted", "Retain");
        retention.Default("whenScaled", "Retain");
        foreach (var claim in spec.Items("volumeClaimTemplates"))
        {
            ClaimDefaults.PersistentVolumeClaim(claim);
        }
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    /// <summary>Core v1 RCs: the selector and the RC's labels default to the template labels.</summary>
    public static void ReplicationController(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (spec.Existing("template")?.Existing("metadata")?.Existing("labels") is { Count: > 0 } labels)
        {
            if (spec.Existing("selector") is not { Count: > 0 })
            {
                spec["selector"] = labels.DeepClone();
            }
            var metadata = obj.Child("metadata");
            if (metadata.Existing("labels") is not { Count: > 0 })
            {
                metadata["labels"] = labels.DeepClone();
            }
        }
        spec.Default("replicas", 1);
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    /// <summary>
    /// <c>SetDefaults_Job</c>. The generated selector and its template labels are not defaults but the job
    /// strategy's work (they need the uid); see <see cref="JobSelector"/>.
    /// </summary>
    public static void Job(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }
        spec.Default("parallelism", 1);
        spec.Default("backoffLimit", spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue);
        spec.Default("completionMode", "NonIndexed");
        spec.Default("suspend", false);
        foreach (var rule in spec.Existing("podFailurePolicy")?.Items("rules") ?? [])
        {
            foreach (var pattern in rule.Items("onPodConditions"))
            {
                pattern.Default("status", "True");
            }
        }
        spec.Default("podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        JobSelector.CopyTemplateLabels(obj);
        PodDefaults.ApplyTemplate(spec.Existing("template"));
    }

    /// <summary><c>SetDefaults_CronJob</c>; the job template's pod template gets pod-spec defaults only.</summary>
    public static void CronJob(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.Default("concurrencyPolicy", "Allow");
        spec.Default("suspend", false);
        spec.Default("successfulJobsHistoryLimit", 3);
        spec.Default("failedJobsHistoryLimit", 1);
        PodDefaults.ApplyTemplate(spec.Existing("jobTemplate")?.Existing("spec")?.Existing("template"));
    }
}
