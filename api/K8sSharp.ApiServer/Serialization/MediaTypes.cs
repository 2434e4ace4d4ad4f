namespace K8sSharp.ApiServer.Serialization;

internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string Protobuf = "application/vnd.kubernetes.protobuf";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string Table = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>The media type without parameters, lower-cased; a missing header counts as JSON (kubectl scale sends none).</summary>
    public static string Essence(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? Json : contentType.Split(';')[0].Trim().ToLowerInvariant();
}
