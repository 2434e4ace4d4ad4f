using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>
/// The bridge kube-apiserver keeps between client-side and server-side apply for the manager <c>kubectl</c>
/// (fieldmanager's lastAppliedManager and lastAppliedUpdater): conflicts on fields the live object's
/// <c>kubectl.kubernetes.io/last-applied-configuration</c> lists are allowed (the apply is retried with force), and
/// when that annotation exists a successful apply rewrites it to the applied configuration.
/// </summary>
internal static class LastApplied
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string KubectlManager = "kubectl";

    /// <summary>Whether every conflict is on a field the client-side apply annotation of <paramref name="live"/> sets.</summary>
    public static bool AllowsConflicts(JsonObject? live, IReadOnlyList<ApplyConflict> conflicts, FieldManagerContext context)
    {
        if (AnnotationOf(live) is not { } text)
        {
            return false;
        }
        try
        {
            if (JsonNode.Parse(text) is not JsonObject lastApplied)
            {
                return false;
            }
            var allowed = FieldSet.FromObject(lastApplied, context.Schema, context.Schemas);
            return conflicts.All(c => allowed.Has(c.Path));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ApplyException)
        {
            return false;
        }
    }

    /// <summary>Sets the annotation on <paramref name="result"/> to the applied object (minus the annotation), keys sorted as Go encodes maps.</summary>
    public static void Update(JsonObject? live, JsonObject result, JsonObject applied)
    {
        if (AnnotationOf(live) is null)
        {
            return;
        }
        var copy = (JsonObject)applied.DeepClone();
        (copy["metadata"]?["annotations"] as JsonObject)?.Remove(Annotation);
        if (result["metadata"] is JsonObject metadata)
        {
            if (metadata["annotations"] is not JsonObject annotations)
            {
                annotations = [];
                metadata["annotations"] = annotations;
            }
            annotations[Annotation] = Sorted(copy)!.ToJsonString(RelaxedJson);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string? AnnotationOf(JsonObject? obj) =>
        obj?["metadata"]?["annotations"]?[Annotation] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, Sorted(p.Value)))),
        JsonArray list => new JsonArray(list.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
