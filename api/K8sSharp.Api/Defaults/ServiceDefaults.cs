using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// <c>SetDefaults_Service</c> of upstream's <c>pkg/apis/core/v1/defaults.go</c>, plus the IP-family fields the
/// service REST storage fills in before allocating (<c>initIPFamilyFields</c>) on a single-stack IPv4 cluster.
/// Cluster IP and node port allocation are not defaults and happen elsewhere.
/// </summary>
public static class ServiceDefaults
{
    public const int DefaultClientIPTimeoutSeconds = 10800;

    public static void Apply(JsonObject service)
    {
        var spec = service.Child("spec");
        spec.Default("sessionAffinity", "None");
        ApplySessionAffinityConfig(spec);
        spec.Default("type", "ClusterIP");
        var type = spec.Text("type");
        foreach (var port in spec.Items("ports"))
        {
            port.Default("protocol", "TCP");
            if (port["targetPort"] is null || port["targetPort"]!.ToJsonString() is "0" or "\"\"")
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }
        var externallyAccessible = type is "NodePort" or "LoadBalancer" || (type == "ClusterIP" && spec["externalIPs"] is JsonArray { Count: > 0 });
        if (externallyAccessible)
        {
            spec.Default("externalTrafficPolicy", "Cluster");
        }
        if (type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            spec.Default("internalTrafficPolicy", "Cluster");
        }
        if (type == "LoadBalancer")
        {
            spec.Default("allocateLoadBalancerNodePorts", true);
        }
    }

    private static void ApplySessionAffinityConfig(JsonObject spec)
    {
        switch (spec.Text("sessionAffinity"))
        {
            case "None":
                spec.Remove("sessionAffinityConfig");
                break;
            case "ClientIP" when !HasClientIPTimeout(spec):
                spec["sessionAffinityConfig"] = new JsonObject
                {
                    ["clientIP"] = new JsonObject { ["timeoutSeconds"] = DefaultClientIPTimeoutSeconds },
                };
                break;
            default:
                break;
        }
    }

    private static bool HasClientIPTimeout(JsonObject spec) =>
        spec.Existing("sessionAffinityConfig")?.Existing("clientIP")?["timeoutSeconds"] is not null;

    /// <summary>
    /// IP families on a single-stack IPv4 cluster: the policy is SingleStack (RequireDualStack for headless services
    /// without selector, which also list IPv6), families follow given cluster IPs, <c>clusterIP</c> and
    /// <c>clusterIPs[0]</c> mirror each other. An update without a policy keeps the old one.
    /// </summary>
    public static void ApplyIPFamilies(JsonObject service, JsonObject? old)
    {
        var spec = service.Child("spec");
        if (spec.Text("type") == "ExternalName")
        {
            return;
        }
        MirrorClusterIP(spec);
        var headlessSelectorless = spec.Text("clusterIP") == "None" && spec.Existing("selector") is not { Count: > 0 };
        if (spec["ipFamilyPolicy"] is null)
        {
            spec["ipFamilyPolicy"] = old?.Existing("spec")?["ipFamilyPolicy"]?.DeepClone()
                ?? (headlessSelectorless ? "RequireDualStack" : "SingleStack");
        }
        if (spec["ipFamilies"] is not JsonArray { Count: > 0 } families)
        {
            families = [];
            foreach (var ip in (spec["clusterIPs"] as JsonArray ?? []).Select(n => n?.ToString() ?? ""))
            {
                if (ip is "None" or "")
                {
                    break;
                }
                families.Add(ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4");
            }
            if (families.Count == 0)
            {
                families.Add("IPv4");
            }
            spec["ipFamilies"] = families;
        }
        if (headlessSelectorless && families.Count == 1 && spec.Text("ipFamilyPolicy") != "SingleStack")
        {
            families.Add(families[0]?.ToString() == "IPv4" ? "IPv6" : "IPv4");
        }
    }

    /// <summary><c>clusterIPs[0]</c> is the same address as <c>clusterIP</c>; whichever is given fills the other.</summary>
    private static void MirrorClusterIP(JsonObject spec)
    {
        var clusterIP = spec.Text("clusterIP");
        var clusterIPs = spec["clusterIPs"] as JsonArray;
        if (!string.IsNullOrEmpty(clusterIP) && clusterIPs is not { Count: > 0 })
        {
            spec["clusterIPs"] = new JsonArray(clusterIP);
        }
        else if (string.IsNullOrEmpty(clusterIP) && clusterIPs is { Count: > 0 } && clusterIPs[0]?.ToString() is { Length: > 0 } first)
        {
            spec["clusterIP"] = first;
        }
    }
}
