using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// HorizontalPodAutoscalers (upstream printHorizontalPodAutoscaler / formatHPAMetrics). Objects in the
/// autoscaling/v1 shape are read through the CPU-utilization metric upstream's conversion derives from
/// <c>targetCPUUtilizationPercentage</c>, so both versions print the same Targets.
/// </summary>
internal static class HpaPrinter
{
    private const int MaxMetrics = 2;

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("autoscaling", "HorizontalPodAutoscaler",
        [
            Col.Name, Col.Str("Reference", ColumnDocs.HpaRef), Col.Str("Targets", ColumnDocs.HpaMetrics),
            Col.Str("MinPods", ColumnDocs.HpaMin), Col.Str("MaxPods", ColumnDocs.HpaMax),
            Col.Str("Replicas", ColumnDocs.HpaCurrent), Col.Age,
        ], Cells);
    }

    private static JsonArray Cells(JsonObject hpa, DateTimeOffset now)
    {
        var target = hpa.Obj("spec", "scaleTargetRef");
        var minReplicas = hpa.Long("spec", "minReplicas");
        return new JsonArray(
            PrintFormat.Name(hpa),
            target.S("kind") + "/" + target.S("name"),
            Targets(hpa),
            minReplicas is { } min ? min.ToString(CultureInfo.InvariantCulture) : "<unset>",
            hpa.L("spec", "maxReplicas"),
            hpa.L("status", "currentReplicas"),
            PrintFormat.CreationAge(hpa, now));
    }

    // Metric i is paired with currentMetrics[i] by position, as upstream does.
    private static string Targets(JsonObject hpa)
    {
        var (specs, statuses) = Metrics(hpa);
        if (specs.Count == 0)
        {
            return "<none>";
        }
        var list = specs.Select((spec, i) => FormatMetric(spec, i < statuses.Count ? statuses[i] : null)).ToList();
        var text = string.Join(", ", list.Take(MaxMetrics));
        return list.Count > MaxMetrics
            ? text + " + " + (list.Count - MaxMetrics).ToString(CultureInfo.InvariantCulture) + " more..."
            : text;
    }

    private static (List<JsonObject> Specs, List<JsonObject> Statuses) Metrics(JsonObject hpa)
    {
        if (hpa.At("spec", "metrics") is not null || hpa.At("spec", "targetCPUUtilizationPercentage") is null)
        {
            return (hpa.Objects("spec", "metrics").ToList(), hpa.Objects("status", "currentMetrics").ToList());
        }
        var spec = ResourceMetric("target", hpa.L("spec", "targetCPUUtilizationPercentage"));
        var current = hpa.Long("status", "currentCPUUtilizationPercentage");
        return ([spec], current is { } c ? [ResourceMetric("current", c)] : []);
    }

    private static JsonObject ResourceMetric(string valueField, long utilization) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject
        {
            ["name"] = "cpu",
            [valueField] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = utilization },
        },
    };

    private static string FormatMetric(JsonObject spec, JsonObject? status) => spec.S("type") switch
    {
        "External" => ValueMetric(spec.Obj("external", "target"), status.Obj("external")),
        "Object" => ValueMetric(spec.Obj("object", "target"), status.Obj("object")),
        "Pods" => (status.Obj("pods") is { } pods ? Quantity(pods.At("current", "averageValue")) : "<unknown>")
            + "/" + Quantity(spec.At("pods", "target", "averageValue")),
        "Resource" => ResourceTarget(spec.Obj("resource"), status.Obj("resource")),
        "ContainerResource" => ResourceTarget(spec.Obj("containerResource"), status.Obj("containerResource")),
        _ => "<unknown type>",
    };

    // External and Object metrics: an average-value target prints "(avg)", otherwise the plain value.
    private static string ValueMetric(JsonObject? target, JsonObject? status)
    {
        if (target.At("averageValue") is { } average)
        {
            var current = status.At("current", "averageValue") is { } c ? Quantity(c) : "<unknown>";
            return current + "/" + Quantity(average) + " (avg)";
        }
        var value = status is null ? "<unknown>" : Quantity(status.At("current", "value"));
        return value + "/" + Quantity(target.At("value"));
    }

    // Resource metrics: "cpu: 250m/500m" for value targets, "cpu: 40%/80%" for utilization targets.
    private static string ResourceTarget(JsonObject? source, JsonObject? status)
    {
        var name = source.S("name");
        if (source.At("target", "averageValue") is { } average)
        {
            var current = status is null ? "<unknown>" : Quantity(status.At("current", "averageValue"));
            return name + ": " + current + "/" + Quantity(average);
        }
        var currentUtilization = status.Long("current", "averageUtilization") is { } cu ? Percent(cu) : "<unknown>";
        var targetUtilization = source.Long("target", "averageUtilization") is { } tu ? Percent(tu) : "<auto>";
        return name + ": " + currentUtilization + "/" + targetUtilization;
    }

    private static string Percent(long value) => value.ToString(CultureInfo.InvariantCulture) + "%";

    // resource.Quantity's String() of a nil pointer is "<nil>".
    private static string Quantity(JsonNode? quantity) => quantity.Str() ?? "<nil>";
}
