using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>Service, Endpoints, EndpointSlice and Ingress (upstream printService, printEndpoints, ...).</summary>
internal static class NetworkPrinters
{
    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("", "Service",
        [
            Col.Name, Col.Str("Type", ColumnDocs.SvcType), Col.Str("Cluster-IP", ColumnDocs.SvcClusterIP),
            Col.Str("External-IP", ColumnDocs.SvcExternalIPs), Col.Str("Port(s)", ColumnDocs.SvcPorts), Col.Age,
            Col.Str("Selector", ColumnDocs.SvcSelector, 1),
        ], Service);
        yield return new KindPrinter("", "Endpoints",
            [Col.Name, Col.Str("Endpoints", ColumnDocs.EndpointsSubsets), Col.Age], Endpoints);
        yield return new KindPrinter("discovery.k8s.io", "EndpointSlice",
        [
            Col.Name, Col.Str("AddressType", ColumnDocs.EpsAddressType), Col.Str("Ports", ColumnDocs.EpsPorts),
            Col.Str("Endpoints", ColumnDocs.EpsEndpoints), Col.Age,
        ], EndpointSlice);
        yield return new KindPrinter("networking.k8s.io", "Ingress",
        [
            Col.Name,
            Col.Str("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            Col.Str("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            Col.Str("Address", "Address is a list containing ingress points for the load-balancer"),
            Col.Str("Ports", "Ports of TLS configurations that open"),
            Col.Age,
        ], Ingress);
    }

    private static JsonArray Service(JsonObject svc, DateTimeOffset now)
    {
        var ports = string.Join(",", svc.Objects("spec", "ports").Select(PortText));
        return new JsonArray(
            PrintFormat.Name(svc),
            svc.S("spec", "type"),
            PrintFormat.OrNone(ClusterIP(svc)),
            ExternalIP(svc),
            PrintFormat.OrNone(ports),
            PrintFormat.CreationAge(svc, now),
            PrintFormat.Labels(svc.StringMap("spec", "selector")));
    }

    // The primary cluster IP; v1 objects written by old clients may carry only spec.clusterIP.
    private static string ClusterIP(JsonObject svc)
    {
        var ips = svc.Arr("spec", "clusterIPs");
        return ips.Count > 0 ? ips[0].S() : svc.S("spec", "clusterIP");
    }

    // "80/TCP", or "80:30080/TCP" when a node port is allocated. Protocol defaults to TCP.
    private static string PortText(JsonObject port)
    {
        var protocol = port.Str("protocol") ?? "TCP";
        var nodePort = port.L("nodePort");
        return nodePort > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{port.L("port")}:{nodePort}/{protocol}")
            : string.Create(CultureInfo.InvariantCulture, $"{port.L("port")}/{protocol}");
    }

    // getServiceExternalIP: explicit external IPs, load-balancer ingress, or the ExternalName.
    private static string ExternalIP(JsonObject svc)
    {
        var externalIPs = svc.Arr("spec", "externalIPs").Select(ip => ip.S()).ToList();
        switch (svc.S("spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return externalIPs.Count > 0 ? string.Join(",", externalIPs) : "<none>";
            case "LoadBalancer":
                var lb = PrintFormat.LoadBalancerIngress(svc.At("status", "loadBalancer"));
                if (externalIPs.Count > 0)
                {
                    var all = lb.Length > 0 ? lb.Split(',').Concat(externalIPs) : externalIPs;
                    return string.Join(",", all);
                }
                return lb.Length > 0 ? lb : "<pending>";
            case "ExternalName":
                return svc.S("spec", "externalName");
            default:
                return "<unknown>";
        }
    }

    // formatEndpoints: up to three "ip:port" (or bare IPs for port-less subsets), then "+ N more...".
    private static JsonArray Endpoints(JsonObject ep, DateTimeOffset now)
    {
        var subsets = ep.Objects("subsets").ToList();
        string text;
        if (subsets.Count == 0)
        {
            text = "<none>";
        }
        else
        {
            var all = subsets.SelectMany(EndpointStrings).ToList();
            text = string.Join(",", all.Take(3));
            if (all.Count > 3)
            {
                text += " + " + (all.Count - 3).ToString(CultureInfo.InvariantCulture) + " more...";
            }
        }
        return new JsonArray(PrintFormat.Name(ep), text, PrintFormat.CreationAge(ep, now));
    }

    private static IEnumerable<string> EndpointStrings(JsonObject subset)
    {
        var ips = subset.Objects("addresses").Select(a => a.S("ip")).ToList();
        var ports = subset.Objects("ports").ToList();
        return ports.Count == 0
            ? ips
            : ports.SelectMany(port => ips.Select(ip => PrintFormat.HostPort(ip, port.L("port"))));
    }

    private static JsonArray EndpointSlice(JsonObject slice, DateTimeOffset now)
    {
        var ports = slice.Objects("ports")
            .Select(p => p.Long("port") is { } n ? n.ToString(CultureInfo.InvariantCulture) : p.Str("name") ?? "*")
            .ToList();
        var addresses = slice.Objects("endpoints").SelectMany(e => e.Arr("addresses").Select(a => a.S())).ToList();
        return new JsonArray(
            PrintFormat.Name(slice),
            slice.S("addressType"),
            PrintFormat.ListWithMore(ports, 3),
            PrintFormat.ListWithMore(addresses, 3),
            PrintFormat.CreationAge(slice, now));
    }

    private static JsonArray Ingress(JsonObject ing, DateTimeOffset now)
    {
        var tls = ing.Arr("spec", "tls").Count > 0;
        return new JsonArray(
            PrintFormat.Name(ing),
            ing.Str("spec", "ingressClassName") ?? "<none>",
            IngressHosts(ing.Objects("spec", "rules").ToList()),
            PrintFormat.LoadBalancerIngress(ing.At("status", "loadBalancer")),
            tls ? "80, 443" : "80",
            PrintFormat.CreationAge(ing, now));
    }

    // formatHosts: non-empty hosts until three are collected; a rule seen after that switches to
    // "+ N more..." where N counts every rule beyond the third (empty hosts included), as upstream does.
    private static string IngressHosts(List<JsonObject> rules)
    {
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in rules)
        {
            more |= hosts.Count == 3;
            if (!more && rule.S("host") is { Length: > 0 } host)
            {
                hosts.Add(host);
            }
        }
        if (hosts.Count == 0)
        {
            return "*";
        }
        var text = string.Join(",", hosts);
        return more ? text + " + " + (rules.Count - 3).ToString(CultureInfo.InvariantCulture) + " more..." : text;
    }
}
