using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Events (upstream printEvent). Upstream serves core/v1 and events.k8s.io/v1 events from one storage
/// and prints both through the core shape; here the events.k8s.io field names (regarding, note,
/// deprecatedSource, deprecated*Timestamp, deprecatedCount, reportingController/Instance) are read
/// directly so both groups print identically.
/// </summary>
internal static class EventPrinter
{
    private static readonly TableColumn[] Columns =
    [
        Col.Str("Last Seen", ColumnDocs.EventLastTimestamp),
        Col.Str("Type", ColumnDocs.EventType),
        Col.Str("Reason", ColumnDocs.EventReason),
        Col.Str("Object", ColumnDocs.EventInvolvedObject),
        Col.Str("Subobject", ColumnDocs.ObjectRefFieldPath, 1),
        Col.Str("Source", ColumnDocs.EventSource, 1),
        Col.Str("Message", ColumnDocs.EventMessage),
        Col.Str("First Seen", ColumnDocs.EventFirstTimestamp, 1),
        Col.Str("Count", ColumnDocs.EventCount, 1),
        Col.Name with { Priority = 1 },
    ];

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("", "Event", Columns, (e, now) => Cells(e, now, EventShape.Core));
        yield return new KindPrinter("events.k8s.io", "Event", Columns, (e, now) => Cells(e, now, EventShape.EventsV1));
    }

    /// <summary>Field names of the two wire shapes of an event.</summary>
    private sealed record EventShape(
        string InvolvedObject, string Message, string Source, string FirstTimestamp, string LastTimestamp,
        string Count, string ReportingController, string ReportingInstance)
    {
        public static readonly EventShape Core = new(
            "involvedObject", "message", "source", "firstTimestamp", "lastTimestamp", "count",
            "reportingComponent", "reportingInstance");

        public static readonly EventShape EventsV1 = new(
            "regarding", "note", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
            "deprecatedCount", "reportingController", "reportingInstance");
    }

    private static JsonArray Cells(JsonObject ev, DateTimeOffset now, EventShape shape)
    {
        // First seen falls back to eventTime, last seen to first seen; a series overrides both.
        var firstSeen = ev.Time(shape.FirstTimestamp) is not null
            ? PrintFormat.Age(ev, now, shape.FirstTimestamp)
            : PrintFormat.Age(ev, now, "eventTime");
        var lastSeen = ev.Time(shape.LastTimestamp) is not null ? PrintFormat.Age(ev, now, shape.LastTimestamp) : firstSeen;
        var count = ev.L(shape.Count);
        if (ev.Obj("series") is { } series)
        {
            lastSeen = PrintFormat.Age(series, now, "lastObservedTime");
            count = series.L("count");
        }
        else if (count == 0)
        {
            count = 1; // singleton events of the new API carry no count
        }
        var involved = ev.Obj(shape.InvolvedObject);
        var kind = involved.S("kind").ToLowerInvariant();
        var target = involved.S("name") is { Length: > 0 } name ? kind + "/" + name : kind;
        return new JsonArray(
            lastSeen,
            ev.S("type"),
            ev.S("reason"),
            target,
            involved.S("fieldPath"),
            Source(ev, shape),
            ev.S(shape.Message).Trim(),
            firstSeen,
            count,
            PrintFormat.Name(ev));
    }

    // formatEventSource: component (or reporting controller), then ", host" (or reporting instance) if set.
    private static string Source(JsonObject ev, EventShape shape)
    {
        var component = FirstNonEmpty(ev.S(shape.Source, "component"), ev.S(shape.ReportingController));
        var instance = FirstNonEmpty(ev.S(shape.Source, "host"), ev.S(shape.ReportingInstance));
        return instance.Length == 0 ? component : component + ", " + instance;
    }

    private static string FirstNonEmpty(string first, string second) => first.Length > 0 ? first : second;
}
