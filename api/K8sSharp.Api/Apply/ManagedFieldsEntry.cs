using System.Globalization;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>
/// One <c>metadata.managedFields</c> entry. Entries are identified as upstream's manager identifier does: manager,
/// operation and subresource, plus apiVersion for <c>Update</c> entries (an applier keeps one entry across versions).
/// </summary>
public sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, DateTimeOffset? Time, FieldSet Fields, string? Subresource = null)
{
    public const string Apply = "Apply";
    public const string Update = "Update";
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public bool IsApply => Operation == Apply;

    public bool SameIdentity(ManagedFieldsEntry other) =>
        other is not null && Manager == other.Manager && Operation == other.Operation && (Subresource ?? "") == (other.Subresource ?? "")
        && (IsApply || ApiVersion == other.ApiVersion);

    /// <summary>How conflict messages name the entry (upstream's <c>printManager</c> on an identifier without time).</summary>
    public string Describe()
    {
        var text = Quote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource {Quote(Subresource)}";
        }
        return IsApply ? text : $"{text} using {ApiVersion}";
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s, QuoteOptions);

    private static readonly System.Text.Json.JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The entry in the API's field order: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is { } time)
        {
            json["time"] = time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        }
        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource))
        {
            json["subresource"] = Subresource;
        }
        return json;
    }

    /// <exception cref="FormatException">The entry is not a valid managedFields entry.</exception>
    public static ManagedFieldsEntry FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var fieldsType = Text(json, "fieldsType");
        if (fieldsType is not null and not "FieldsV1")
        {
            throw new FormatException($"invalid fieldsType {fieldsType}");
        }
        DateTimeOffset? time = Text(json, "time") is { } t
            ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
        return new ManagedFieldsEntry(Text(json, "manager") ?? "", Text(json, "operation") ?? "", Text(json, "apiVersion") ?? "", time,
            FieldSet.FromFieldsV1(json["fieldsV1"] as JsonObject), Text(json, "subresource"));
    }

    private static string? Text(JsonObject json, string field) =>
        json[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Upstream's order: operation (Apply first), time in seconds, manager, apiVersion, subresource.</summary>
    internal static int Order(ManagedFieldsEntry a, ManagedFieldsEntry b)
    {
        var c = string.CompareOrdinal(a.Operation, b.Operation);
        if (c == 0)
        {
            c = Seconds(a).CompareTo(Seconds(b));
        }
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Manager, b.Manager);
        }
        if (c == 0)
        {
            c = string.CompareOrdinal(a.ApiVersion, b.ApiVersion);
        }
        return c != 0 ? c : string.CompareOrdinal(a.Subresource ?? "", b.Subresource ?? "");
    }

    private static long Seconds(ManagedFieldsEntry e) => e.Time?.ToUnixTimeSeconds() ?? 0;
}
