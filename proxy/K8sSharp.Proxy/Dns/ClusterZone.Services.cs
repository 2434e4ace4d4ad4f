using System.Net;
using k8s.Models;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Dns;

internal sealed partial class ClusterZone
{
    private DnsAnswer? ServiceRecords(string asked, string ns, string name, DnsType type)
    {
        if (Service(ns, name) is not { } service)
        {
            return null;
        }
        if (service.Spec?.Type == "ExternalName")
        {
            // A CNAME answers every type at its name (RFC 1034 3.6.2); the client resolves the target.
            return DnsAnswer.Records([new DnsRecord(asked, DnsType.CNAME, Ttl, new NameData(service.Spec.ExternalName.TrimEnd('.')))]);
        }
        if (type == DnsType.SRV)
        {
            return SrvRecords(asked, ns, name, null, null);
        }
        if (!IsHeadless(service))
        {
            return Filter(type, DnsType.A, [Address(asked, service.Spec!.ClusterIP)]);
        }
        var endpoints = PublishedEndpoints(service);
        return endpoints.Count == 0 ? null : Filter(type, DnsType.A, [.. endpoints.Select(e => Address(asked, e.Ip))]);
    }

    private DnsAnswer? EndpointRecords(string asked, string ns, string name, string label, DnsType type)
    {
        if (Service(ns, name) is not { } service || !IsHeadless(service))
        {
            return null;
        }
        var matches = PublishedEndpoints(service).Where(e => EndpointLabel(e) == label || e.Ip.Replace('.', '-') == label).ToList();
        return matches.Count == 0 ? null : Filter(type, DnsType.A, [.. matches.Select(e => Address(asked, e.Ip))]);
    }

    /// <summary>
    /// SRV for the named ports of a service (one port when <paramref name="portName"/> is given). A service with a
    /// cluster IP has one target, the service's name; a headless one a target per endpoint, with its A record in the
    /// additional section. Null when the service or port does not exist.
    /// </summary>
    private DnsAnswer? SrvRecords(string asked, string ns, string name, string? portName, string? protocol)
    {
        if (Service(ns, name) is not { } service || service.Spec?.Type == "ExternalName")
        {
            return null;
        }
        var ports = (service.Spec?.Ports ?? [])
            .Where(p => !string.IsNullOrEmpty(p.Name))
            .Where(p => portName is null || (p.Name == portName && ServiceModel.Protocol(p.Protocol) == protocol))
            .ToList();
        if (ports.Count == 0)
        {
            return null;
        }
        if (!IsHeadless(service))
        {
            var target = ServiceName(service);
            return DnsAnswer.Records(
                [.. ports.Select(p => Srv(asked, 100, p.Port, target))],
                [Address(target, service.Spec!.ClusterIP)]);
        }
        return HeadlessSrv(asked, service, ports);
    }

    private DnsAnswer? HeadlessSrv(string asked, V1Service service, List<V1ServicePort> ports)
    {
        var endpoints = PublishedEndpoints(service);
        if (endpoints.Count == 0)
        {
            return null;
        }
        var byPort = ServiceModel.EndpointsByPort(slices.List(service.Metadata.NamespaceProperty,
            new Dictionary<string, string> { [ServiceModel.ServiceNameLabel] = service.Metadata.Name }));
        var answers = new List<DnsRecord>();
        var additional = new List<DnsRecord>();
        var weight = (ushort)Math.Max(1, 100 / endpoints.Count);
        foreach (var port in ports)
        {
            var key = new ServicePortName(service.Metadata.NamespaceProperty, service.Metadata.Name, port.Name, ServiceModel.Protocol(port.Protocol));
            foreach (var endpoint in endpoints)
            {
                // The endpoint's actual port from the slice (the target port), falling back to the service port.
                var number = byPort.GetValueOrDefault(key)?.FirstOrDefault(e => e.Ip == endpoint.Ip)?.Port ?? port.Port;
                var target = $"{EndpointLabel(endpoint)}.{ServiceName(service)}";
                answers.Add(Srv(asked, weight, number, target));
                additional.Add(Address(target, endpoint.Ip));
            }
        }
        return DnsAnswer.Records(answers, [.. additional.DistinctBy(r => r.Name)]);
    }

    /// <summary>PTR for <c>d.c.b.a.in-addr.arpa</c>: a service's cluster IP, else an endpoint address; null when unknown.</summary>
    private DnsAnswer? ResolveReverse(DnsQuestion question, string name)
    {
        var octets = name[..^".in-addr.arpa".Length].Split('.');
        if (octets.Length != 4 || !IPAddress.TryParse(string.Join('.', octets.Reverse()), out var parsed))
        {
            return null;
        }
        var ip = parsed.ToString();
        var target = services.List().FirstOrDefault(s => s.Spec?.ClusterIP == ip) is { } service
            ? ServiceName(service)
            : EndpointName(ip);
        if (target is null)
        {
            return null;
        }
        var ptr = new DnsRecord(question.Name, DnsType.PTR, Ttl, new NameData(target));
        return question.Type is DnsType.PTR or DnsType.ANY ? DnsAnswer.Records([ptr]) : new DnsAnswer(DnsRcode.NoError, [], [], []);
    }

    private string? EndpointName(string ip)
    {
        foreach (var slice in slices.List().Where(s => s.AddressType == "IPv4"))
        {
            var endpoint = (slice.Endpoints ?? []).FirstOrDefault(e => e.Addresses?.Contains(ip) == true);
            if (endpoint is not null && slice.Metadata.Labels?.TryGetValue(ServiceModel.ServiceNameLabel, out var service) == true)
            {
                return $"{endpoint.Hostname ?? ip.Replace('.', '-')}.{service}.{slice.Metadata.NamespaceProperty}.svc.{Zone}";
            }
        }
        return null;
    }

    private static DnsRecord Address(string name, string ip) => new(name, DnsType.A, Ttl, new AddressData(IPAddress.Parse(ip)));

    private static DnsRecord Srv(string name, ushort weight, int port, string target) =>
        new(name, DnsType.SRV, Ttl, new SrvData(0, weight, (ushort)port, target));
}
