using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;
using K8sSharp.Api.Selection;

namespace K8sSharp.Api.Printing;

/// <summary>Formatting helpers shared by the printers, each mirroring a helper of upstream printers.go.</summary>
internal static class PrintFormat
{
    /// <summary>translateTimestampSince: the age of a timestamp field, <c>&lt;unknown&gt;</c> when unset.</summary>
    public static string Age(JsonNode? obj, DateTimeOffset now, params ReadOnlySpan<string> path) =>
        HumanDuration.Since(obj.Time(path), now);

    /// <summary>The Age cell every printer ends with.</summary>
    public static string CreationAge(JsonObject obj, DateTimeOffset now) => Age(obj, now, "metadata", "creationTimestamp");

    public static string Name(JsonObject obj) => obj.S("metadata", "name");

    /// <summary>labels.FormatLabels: sorted <c>k=v</c> pairs joined by ",", or <c>&lt;none&gt;</c>.</summary>
    public static string Labels(IReadOnlyDictionary<string, string> labels)
    {
        var text = string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal));
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary>metav1.FormatLabelSelector: canonical selector text, <c>&lt;none&gt;</c> if empty, <c>&lt;error&gt;</c> if invalid.</summary>
    public static string Selector(JsonNode? selector)
    {
        var text = SelectorOrNull(selector);
        return text is null ? "<error>" : text.Length == 0 ? "<none>" : text;
    }

    /// <summary>LabelSelectorAsSelector(...).String(): "" for null/empty, null when invalid.</summary>
    public static string? SelectorOrNull(JsonNode? selector)
    {
        try
        {
            return LabelSelector.FromJson(selector as JsonObject).ToString();
        }
        catch (SelectorParseException)
        {
            return null;
        }
    }

    /// <summary>layoutContainerCells: container names and images, each joined by ",".</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        var containers = podSpec.Objects("containers").ToList();
        return (string.Join(",", containers.Select(c => c.S("name"))), string.Join(",", containers.Select(c => c.S("image"))));
    }

    /// <summary>An IntOrString field as Go's IntOrString.String() prints it, or null when unset.</summary>
    public static string? IntOrString(JsonNode? obj, params ReadOnlySpan<string> path) => obj.Str(path);

    /// <summary>A resource quantity as stored (servers serialize canonical quantities); "0" when unset.</summary>
    public static string Quantity(JsonNode? obj, params ReadOnlySpan<string> path) => obj.Str(path) ?? "0";

    /// <summary>helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that fixed order.</summary>
    public static string AccessModes(JsonArray modes)
    {
        var present = modes.Select(m => m.S()).ToHashSet(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (mode, shortName) in AccessModeNames)
        {
            if (present.Contains(mode))
            {
                names.Add(shortName);
            }
        }
        return string.Join(",", names);
    }

    /// <summary>net.JoinHostPort: brackets around IPv6 hosts.</summary>
    public static string HostPort(string host, long port)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        return host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]:" + p : host + ":" + p;
    }

    /// <summary>listWithMoreString: the first entries, "+ N more..." beyond max, <c>&lt;unset&gt;</c> if none.</summary>
    public static string ListWithMore(IReadOnlyList<string> all, int max)
    {
        var text = string.Join(",", all.Take(max));
        if (all.Count > max)
        {
            return text + " + " + (all.Count - max).ToString(CultureInfo.InvariantCulture) + " more...";
        }
        return text.Length == 0 ? "<unset>" : text;
    }

    /// <summary>Load-balancer ingress points (IP, else hostname), de-duplicated and sorted, joined by ",".</summary>
    public static string LoadBalancerIngress(JsonNode? loadBalancerStatus)
    {
        var points = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ingress in loadBalancerStatus.Objects("ingress"))
        {
            var point = ingress.S("ip") is { Length: > 0 } ip ? ip : ingress.S("hostname");
            if (point.Length > 0)
            {
                points.Add(point);
            }
        }
        // The server renders tables with Wide=true, so upstream's 16-character clipping never applies.
        return string.Join(",", points);
    }

    /// <summary>printBoolPtr: "True"/"False", <c>&lt;unset&gt;</c> for null.</summary>
    public static string BoolPtr(bool? value) => value switch
    {
        true => "True",
        false => "False",
        null => "<unset>",
    };

    public static string Ratio(long a, long b) => a.ToString(CultureInfo.InvariantCulture) + "/" + b.ToString(CultureInfo.InvariantCulture);

    public static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    private static readonly (string Mode, string Short)[] AccessModeNames =
    [
        ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
    ];
}
