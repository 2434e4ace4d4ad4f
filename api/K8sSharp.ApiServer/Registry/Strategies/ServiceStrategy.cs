using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Services (upstream's <c>pkg/registry/core/service</c>): DNS-1035 names, <c>SetDefaults_Service</c>, single-stack
/// IP family fields, status <c>{loadBalancer: {}}</c>; on update allocated values (cluster IPs, node ports) carry
/// over when the body omits them, and the primary cluster IP may not change. Allocation itself is not done here.
/// </summary>
internal sealed class ServiceStrategy(ApiResource resource) : GenericStrategy(resource)
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

    protected override Func<string, string?> NameRule => Names.Label1035;

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        ServiceDefaults.Apply(obj);
        ServiceDefaults.ApplyIPFamilies(obj, null);
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        ServiceDefaults.Apply(updated);
        CarryAllocatedValues(updated, old);
        ServiceDefaults.ApplyIPFamilies(updated, old);
    }

    /// <summary>Upstream's <c>patchAllocatedValues</c>: an update that leaves out what was allocated keeps it.</summary>
    private static void CarryAllocatedValues(JsonObject updated, JsonObject old)
    {
        var spec = updated["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        if (spec.GetString("type") == "ExternalName" || oldSpec.GetString("type") == "ExternalName")
        {
            return;
        }
        if (string.IsNullOrEmpty(spec.GetString("clusterIP")) && oldSpec["clusterIP"] is { } ip)
        {
            spec["clusterIP"] = ip.DeepClone();
        }
        if (spec["clusterIPs"] is not JsonArray { Count: > 0 } && oldSpec["clusterIPs"] is { } ips)
        {
            spec["clusterIPs"] = ips.DeepClone();
        }
        var oldPorts = (oldSpec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["nodePort"] is null))
        {
            var match = oldPorts.FirstOrDefault(o => JsonNode.DeepEquals(o["port"], port["port"]) && o["protocol"]?.ToString() == port["protocol"]?.ToString());
            if (match?["nodePort"] is { } nodePort)
            {
                port["nodePort"] = nodePort.DeepClone();
            }
        }
        if (spec["healthCheckNodePort"] is null && oldSpec["healthCheckNodePort"] is { } health)
        {
            spec["healthCheckNodePort"] = health.DeepClone();
        }
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var causes = base.Validate(obj).Concat(Enum(spec, "type", "spec", Types)).Concat(Enum(spec, "sessionAffinity", "spec", "ClientIP", "None"));
        if (spec.GetString("type") == "ExternalName")
        {
            return string.IsNullOrEmpty(spec.GetString("externalName")) ? causes.Append(Required("spec.externalName")) : causes;
        }
        return causes.Concat(Ports(spec));
    }

    private static IEnumerable<StatusCause> Ports(JsonObject spec)
    {
        var ports = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (ports.Count == 0 && spec.GetString("clusterIP") != "None")
        {
            yield return Required("spec.ports");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            foreach (var cause in Port(ports[i], $"spec.ports[{i}]", ports.Count > 1, names))
            {
                yield return cause;
            }
        }
    }

    private static IEnumerable<StatusCause> Port(JsonObject port, string path, bool nameRequired, HashSet<string> names)
    {
        var name = port.GetString("name") ?? "";
        if (name.Length == 0 && nameRequired)
        {
            yield return Required($"{path}.name");
        }
        else if (name.Length > 0 && Names.Label(name) is { } problem)
        {
            yield return Invalid($"{path}.name", port["name"], problem);
        }
        else if (name.Length > 0 && !names.Add(name))
        {
            yield return Duplicate($"{path}.name", port["name"]);
        }
        if (PodSpecValidation.PortProblem(port["port"]) is { } portProblem)
        {
            yield return Invalid($"{path}.port", port["port"] ?? JsonValue.Create(0), portProblem);
        }
        foreach (var cause in Enum(port, "protocol", path, "SCTP", "TCP", "UDP"))
        {
            yield return cause;
        }
        if (port["targetPort"] is JsonValue target && target.Integer() is not null && PodSpecValidation.PortProblem(target) is { } targetProblem)
        {
            yield return Invalid($"{path}.targetPort", target, targetProblem);
        }
    }

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var causes = Validate(updated);
        var spec = updated["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        var fromOrToExternalName = spec.GetString("type") == "ExternalName" || oldSpec.GetString("type") == "ExternalName";
        var oldIP = (oldSpec["clusterIPs"] as JsonArray)?.FirstOrDefault()?.ToString() ?? oldSpec.GetString("clusterIP") ?? "";
        var newIP = (spec["clusterIPs"] as JsonArray)?.FirstOrDefault()?.ToString() ?? spec.GetString("clusterIP") ?? "";
        if (!fromOrToExternalName && oldIP.Length > 0 && newIP != oldIP)
        {
            var value = "[]string{" + string.Join(", ", (spec["clusterIPs"] as JsonArray ?? []).Select(n => Quote(n?.ToString() ?? ""))) + "}";
            causes = causes.Append(Invalid("spec.clusterIPs[0]", value, "may not change once set", raw: true));
        }
        return causes;
    }
}
