using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry.Conversion;

/// <summary>
/// events.k8s.io/v1 Event (served) ↔ core/v1 Event (stored), field for field as upstream's conversion:
/// regarding/involvedObject, note/message, reportingController/reportingComponent and the deprecated* fields.
/// </summary>
internal sealed class EventConverter : IStorageConverter
{
    /// <summary>(events.k8s.io field, core field); fields with the same name in both are listed once.</summary>
    private static readonly (string Served, string Stored)[] Fields =
    [
        ("metadata", "metadata"), ("eventTime", "eventTime"), ("series", "series"), ("reportingController", "reportingComponent"),
        ("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason"), ("regarding", "involvedObject"),
        ("related", "related"), ("note", "message"), ("type", "type"), ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ];

    public JsonObject ToStorage(JsonObject served) => Map(served, "v1", toStorage: true);

    public JsonObject FromStorage(JsonObject stored) => Map(stored, "events.k8s.io/v1", toStorage: false);

    private static JsonObject Map(JsonObject source, string apiVersion, bool toStorage)
    {
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "Event" };
        foreach (var (served, stored) in Fields)
        {
            var (from, to) = toStorage ? (served, stored) : (stored, served);
            if (source[from] is { } value)
            {
                result[to] = value.DeepClone();
            }
        }
        return result;
    }
}
