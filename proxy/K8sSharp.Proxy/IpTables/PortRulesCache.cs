using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// The rules each service port wrote in the previous sync, so that a port equal to last time (same service, endpoints
/// and policies: <see cref="ProxiedServicePort.Equals(ProxiedServicePort?)"/>) is written again from them instead of
/// being generated anew. A port's rules depend only on the port and the proxier's fixed configuration, so this is pure
/// memoisation: whatever the kernel took or refused does not matter. It holds only the ports of the last sync.
/// </summary>
internal sealed class PortRulesCache
{
    private sealed record Entry(ProxiedServicePort Port, TableOutput Filter, TableOutput Nat);

    private Dictionary<ServicePortName, Entry> previous = [];
    private Dictionary<ServicePortName, Entry> current = [];

    /// <summary>Writes the port's rules from the last sync when it has not changed since; false when it must be generated.</summary>
    public bool TryReplay(ProxiedServicePort port, RestoreTable filter, RestoreTable nat)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(nat);
        if (!previous.TryGetValue(port.Name, out var entry) || !entry.Port.Equals(port))
        {
            return false;
        }
        filter.Replay(entry.Filter);
        nat.Replay(entry.Nat);
        current[port.Name] = entry;
        return true;
    }

    public void Remember(ProxiedServicePort port, TableOutput filter, TableOutput nat)
    {
        ArgumentNullException.ThrowIfNull(port);
        current[port.Name] = new Entry(port, filter, nat);
    }

    /// <summary>A ruleset is complete: its ports are what the next one compares with.</summary>
    public void Completed()
    {
        previous = current;
        current = [];
    }
}
