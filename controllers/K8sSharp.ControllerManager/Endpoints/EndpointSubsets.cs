using k8s.Models;
using K8sSharp.ControllerManager.ServiceEndpoints;

namespace K8sSharp.ControllerManager.Endpoints;

/// <summary>
/// The subsets of a Service's core/v1 Endpoints (upstream endpoints_controller syncService + RepackSubsets +
/// truncateEndpoints). Every published pod is an address (ready, or notReady unless the Service publishes not-ready
/// addresses) for each Service port it resolves; addresses sharing the same ports form one subset. Canonical order
/// (addresses by IP, ports by name, subsets by their first address), so equal contents compare equal.
/// </summary>
internal static class EndpointSubsets
{
    /// <summary>Upstream maxCapacity: beyond this many addresses the Endpoints object is truncated.</summary>
    public const int MaxCapacity = 1000;

    public static List<V1EndpointSubset> Build(V1Service service, IEnumerable<V1Pod> pods)
    {
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var headless = service.Spec.ClusterIP == "None";
        // port -> (address key -> (address, ready)); a null port stands for "no ports" (headless without ports).
        var byPort = new Dictionary<string, (Corev1EndpointPort? Port, Dictionary<string, (V1EndpointAddress Address, bool Ready)> Addresses)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!EndpointPods.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady))
            {
                continue;
            }
            var address = AddressOf(service, pod);
            var ready = publishNotReady || EndpointPods.IsReady(pod);
            var ports = service.Spec.Ports ?? [];
            if (ports.Count == 0 && headless)
            {
                Add(byPort, null, address, ready);
            }
            foreach (var servicePort in ports)
            {
                if (EndpointPods.FindPort(pod, servicePort) is { } number)
                {
                    Add(byPort, new Corev1EndpointPort { Name = servicePort.Name, Port = number, Protocol = servicePort.Protocol ?? "TCP", AppProtocol = servicePort.AppProtocol }, address, ready);
                }
            }
        }
        return Repack(byPort.Values);
    }

    private static V1EndpointAddress AddressOf(V1Service service, V1Pod pod) => new()
    {
        Ip = EndpointPods.PodIPv4(pod),
        NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
        Hostname = EndpointPods.ShouldSetHostname(pod, service) ? pod.Spec!.Hostname : null,
        TargetRef = new V1ObjectReference { Kind = "Pod", NamespaceProperty = pod.Metadata.NamespaceProperty, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
    };

    private static void Add(Dictionary<string, (Corev1EndpointPort?, Dictionary<string, (V1EndpointAddress, bool)>)> byPort,
        Corev1EndpointPort? port, V1EndpointAddress address, bool ready)
    {
        var key = port is null ? "-" : $"{port.Name}/{port.Protocol}/{port.Port}/{port.AppProtocol}";
        if (!byPort.TryGetValue(key, out var entry))
        {
            byPort[key] = entry = (port, new Dictionary<string, (V1EndpointAddress, bool)>(StringComparer.Ordinal));
        }
        var addressKey = address.Ip + "/" + address.TargetRef?.Uid;
        // An address ready for a port stays ready (RepackSubsets' rule).
        entry.Item2[addressKey] = entry.Item2.TryGetValue(addressKey, out var seen) ? (address, seen.Item2 || ready) : (address, ready);
    }

    /// <summary>Ports that are served by exactly the same addresses (with the same readiness) share a subset.</summary>
    private static List<V1EndpointSubset> Repack(IEnumerable<(Corev1EndpointPort? Port, Dictionary<string, (V1EndpointAddress Address, bool Ready)> Addresses)> ports)
    {
        var subsets = new Dictionary<string, V1EndpointSubset>(StringComparer.Ordinal);
        foreach (var (port, addresses) in ports)
        {
            var ordered = addresses.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
            var key = string.Join(',', ordered.Select(a => a.Key + (a.Value.Ready ? "+" : "-")));
            if (!subsets.TryGetValue(key, out var subset))
            {
                var ready = ordered.Where(a => a.Value.Ready).Select(a => a.Value.Address).ToList();
                var notReady = ordered.Where(a => !a.Value.Ready).Select(a => a.Value.Address).ToList();
                subsets[key] = subset = new V1EndpointSubset
                {
                    Addresses = ready.Count > 0 ? ready : null,
                    NotReadyAddresses = notReady.Count > 0 ? notReady : null,
                };
            }
            if (port is not null)
            {
                subset.Ports ??= [];
                subset.Ports.Add(port);
            }
        }
        foreach (var subset in subsets.Values)
        {
            subset.Ports = subset.Ports?.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port).ToList();
        }
        return [.. subsets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value)];
    }

    /// <summary>
    /// Cuts the subsets down to <see cref="MaxCapacity"/> addresses (upstream truncateEndpoints): not-ready addresses
    /// go first; if the ready ones alone are too many, all not-ready ones go and the ready ones are cut, each subset
    /// keeping its share (rounded up). Returns whether anything was cut.
    /// </summary>
    public static bool Truncate(List<V1EndpointSubset> subsets)
    {
        var totalReady = subsets.Sum(s => s.Addresses?.Count ?? 0);
        var totalNotReady = subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0);
        if (totalReady + totalNotReady <= MaxCapacity)
        {
            return false;
        }
        var truncateReady = totalReady > MaxCapacity;
        var max = truncateReady ? MaxCapacity : MaxCapacity - totalReady;
        var total = truncateReady ? totalReady : totalNotReady;
        var room = max;
        foreach (var subset in subsets)
        {
            var count = (truncateReady ? subset.Addresses : subset.NotReadyAddresses)?.Count ?? 0;
            var share = Math.Min(room, (int)Math.Ceiling((double)count / total * max));
            if (truncateReady)
            {
                subset.Addresses = subset.Addresses?.Take(share).ToList();
                subset.NotReadyAddresses = null;
            }
            else
            {
                subset.NotReadyAddresses = subset.NotReadyAddresses?.Take(share).ToList();
            }
            room -= Math.Min(share, count);
        }
        return true;
    }
}
