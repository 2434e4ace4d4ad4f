using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// The selector the job strategy generates unless <c>spec.manualSelector</c> is true (upstream's
/// <c>generateSelectorIfNeeded</c>): <c>batch.kubernetes.io/controller-uid=&lt;uid&gt;</c>, and the template gets
/// that label, <c>batch.kubernetes.io/job-name</c> and their legacy unprefixed forms.
/// </summary>
public static class JobSelector
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    /// <summary>Generates the selector and template labels; a no-op with a manual selector.</summary>
    public static void Generate(JsonObject job, string uid, string name)
    {
        var spec = job.Child("spec");
        if (spec["manualSelector"] is JsonValue manual && manual.TryGetValue<bool>(out var isManual) && isManual)
        {
            return;
        }
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ControllerUidLabel] = uid } };
        var labels = spec.Child("template").Child("metadata").Child("labels");
        labels[ControllerUidLabel] = uid;
        labels[JobNameLabel] = name;
        labels[LegacyControllerUidLabel] = uid;
        labels[LegacyJobNameLabel] = name;
    }

    /// <summary>A job without labels of its own takes its template's labels (part of <c>SetDefaults_Job</c>).</summary>
    public static void CopyTemplateLabels(JsonObject job)
    {
        if (job.Existing("spec")?.Existing("template")?.Existing("metadata")?.Existing("labels") is not { } labels)
        {
            return;
        }
        var metadata = job.Child("metadata");
        if (metadata.Existing("labels") is not { Count: > 0 })
        {
            metadata["labels"] = labels.DeepClone();
        }
    }
}
