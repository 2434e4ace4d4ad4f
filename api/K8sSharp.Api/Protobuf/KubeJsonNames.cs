using Google.Protobuf.Reflection;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// Where a proto field's JSON differs from its proto name. go-to-protobuf names fields after the Go field,
/// not the JSON tag, so a few names differ; and Go structs embedded with <c>json:",inline"</c> are a
/// nested message in proto but contribute their fields directly to the parent's JSON. Keyed by simple
/// message and field names so the beta versions of the same types are covered too; a test checks the
/// tables against the embedded OpenAPI documents.
/// </summary>
internal static class KubeJsonNames
{
    private static readonly HashSet<string> InlineFields = new(StringComparer.Ordinal)
    {
        "Volume.volumeSource", "PersistentVolumeSpec.persistentVolumeSource", "Probe.handler",
        "EphemeralContainer.ephemeralContainerCommon", "IngressRule.ingressRuleValue",
        "ConfigMapEnvSource.localObjectReference", "ConfigMapKeySelector.localObjectReference",
        "ConfigMapProjection.localObjectReference", "ConfigMapVolumeSource.localObjectReference",
        "SecretEnvSource.localObjectReference", "SecretKeySelector.localObjectReference",
        "SecretProjection.localObjectReference",
        "NamedRuleWithOperations.ruleWithOperations", "RuleWithOperations.rule",
        "DeviceAllocationConfiguration.deviceConfiguration", "DeviceClaimConfiguration.deviceConfiguration",
        "DeviceClassConfiguration.deviceConfiguration",
    };

    // Every proto field with one of these names has this JSON name (DaemonEndpoint's "Port" really is "Port").
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["Webhooks"] = "webhooks", ["Expression"] = "expression", ["Name"] = "name",
        ["uID"] = "uid", ["aPIGroup"] = "apiGroup",
    };

    internal static IReadOnlyCollection<string> InlineFieldNames => InlineFields;

    public static bool IsInline(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && InlineFields.Contains($"{field.ContainingType.Name}.{field.Name}");

    public static string JsonName(FieldDescriptor field) => Renamed.GetValueOrDefault(field.Name, field.Name);

    /// <summary>The field of <paramref name="type"/> that carries JSON property <paramref name="name"/>:
    /// the field so named, or the inline field whose message (transitively) has it; null if none.</summary>
    public static FieldDescriptor? Owner(MessageDescriptor type, string name) =>
        type.Fields.InDeclarationOrder().FirstOrDefault(f =>
            IsInline(f) ? Owner(f.MessageType, name) is not null : JsonName(f) == name);
}
