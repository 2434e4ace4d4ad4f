using System.Globalization;
using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry;

/// <summary>Typed access to the <c>metadata</c> of an object held as JSON.</summary>
internal static class ObjectMeta
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }
        return metadata;
    }

    public static string? GetString(this JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? Name(this JsonObject obj) => (obj["metadata"] as JsonObject)?.GetString("name");

    public static string? Namespace(this JsonObject obj) => (obj["metadata"] as JsonObject)?.GetString("namespace");

    public static string? ResourceVersion(this JsonObject obj) => (obj["metadata"] as JsonObject)?.GetString("resourceVersion");

    public static string? Uid(this JsonObject obj) => (obj["metadata"] as JsonObject)?.GetString("uid");

    public static bool IsBeingDeleted(this JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static JsonArray? Finalizers(this JsonObject obj) => obj["metadata"]?["finalizers"] as JsonArray;

    public static bool HasFinalizers(this JsonObject obj) => obj.Finalizers() is { Count: > 0 };

    public static JsonObject? Labels(this JsonObject obj) => obj["metadata"]?["labels"] as JsonObject;

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Sets a value, or removes the field when <paramref name="value"/> is null.</summary>
    public static void SetOrRemove(this JsonObject obj, string field, JsonNode? value)
    {
        if (value is null)
        {
            obj.Remove(field);
        }
        else
        {
            obj[field] = value;
        }
    }
}
