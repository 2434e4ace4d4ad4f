using k8s.Models;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Tests;

/// <summary>Small constructors for the API objects and model values the tests feed in.</summary>
internal static class Builders
{
    public const string Node = "node-a";

    public static ServiceEndpoint Ready(string ip, int port = 80, string? node = Node) => new(ip, port, true, true, false, node);

    public static ServiceEndpoint Terminating(string ip, bool serving, int port = 80) => new(ip, port, false, serving, true, Node);

    public static ProxiedServicePort Port(string ns, string name, string clusterIp, params ServiceEndpoint[] endpoints) => new()
    {
        Name = new ServicePortName(ns, name, "p80", "tcp"),
        ClusterIp = clusterIp,
        Port = 80,
        Endpoints = endpoints,
    };

    public static V1Service Service(string ns, string name, string clusterIp, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Type = "ClusterIP", Ports = ports },
    };

    public static V1ServicePort ServicePort(string name, int port, string protocol = "TCP") => new() { Name = name, Port = port, Protocol = protocol };

    public static V1EndpointSlice Slice(string ns, string service, string sliceName, IList<Discoveryv1EndpointPort> ports, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = sliceName,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [ServiceModel.ServiceNameLabel] = service },
        },
        AddressType = "IPv4",
        Ports = ports,
        Endpoints = endpoints,
    };

    public static Discoveryv1EndpointPort SlicePort(string name, int port, string protocol = "TCP") => new() { Name = name, Port = port, Protocol = protocol };

    public static V1Endpoint Endpoint(string ip, bool? ready = true, string? hostname = null, bool? serving = null, bool? terminating = null) => new()
    {
        Addresses = [ip],
        Hostname = hostname,
        NodeName = Node,
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
    };
}
