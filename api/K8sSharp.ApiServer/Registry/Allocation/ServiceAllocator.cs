using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry.Allocation;

/// <summary>
/// The Service store's hooks (upstream's <c>pkg/registry/core/service/storage</c> allocation around the generic
/// store): cluster IPs for every type but ExternalName and headless, node ports for NodePort and LoadBalancer, and
/// the health check node port of a LoadBalancer with externalTrafficPolicy Local (served by kube-proxy for the load
/// balancer); values the user gave are reserved, missing ones allocated; what an update or a failed write no longer uses
/// is released, and everything when the Service is deleted.
/// </summary>
internal sealed class ServiceAllocator(ClusterIpAllocator ips, NodePortAllocator ports) : IStoreHooks
{
    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        var taken = await AllocateAsync(obj, Allocation.Of(null), dryRun, ct);
        return async stored =>
        {
            if (!stored && !dryRun)
            {
                await ReleaseAsync(taken, ServiceRef.Of(obj), CancellationToken.None);
            }
        };
    }

    public async Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct)
    {
        var before = Allocation.Of(old);
        var added = await AllocateAsync(updated, before, dryRun, ct);
        var after = Allocation.Of(updated);
        return async stored =>
        {
            if (dryRun)
            {
                return;
            }
            var owner = ServiceRef.Of(updated);
            await ReleaseAsync(stored ? before.Except(after) : added, owner, CancellationToken.None);
        };
    }

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) =>
        ReleaseAsync(Allocation.Of(deleted), ServiceRef.Of(deleted), ct);

    /// <summary>Fills and reserves the Service's IP and node ports; returns what this call newly took.</summary>
    private async Task<Allocation> AllocateAsync(JsonObject service, Allocation alreadyOwned, bool dryRun, CancellationToken ct)
    {
        var owner = ServiceRef.Of(service);
        var spec = service["spec"] as JsonObject ?? [];
        var type = (string?)spec["type"] ?? "ClusterIP";
        var newlyTaken = new Allocation(null, []);
        var ip = (string?)spec["clusterIP"];
        if (type != "ExternalName" && ip != "None")
        {
            if (ip is null || ip != alreadyOwned.ClusterIp)
            {
                ip = await ips.AllocateAsync(string.IsNullOrEmpty(ip) ? null : ip, owner, dryRun, ct);
                newlyTaken = newlyTaken with { ClusterIp = ip };
            }
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        if (type is "NodePort" or "LoadBalancer")
        {
            var portList = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            for (var i = 0; i < portList.Count; i++)
            {
                var wanted = (int?)portList[i]["nodePort"];
                if (wanted is { } port && alreadyOwned.NodePorts.Contains(port))
                {
                    continue;
                }
                var taken = await ports.AllocateAsync(wanted, owner, $"spec.ports[{i}].nodePort", dryRun, ct);
                portList[i]["nodePort"] = taken;
                newlyTaken.NodePorts.Add(taken);
            }
        }
        if (Allocation.NeedsHealthCheck(spec))
        {
            var wanted = (int?)spec["healthCheckNodePort"];
            if (wanted is not { } port || !alreadyOwned.NodePorts.Contains(port))
            {
                var taken = await ports.AllocateAsync(wanted is 0 ? null : wanted, owner, "spec.healthCheckNodePort", dryRun, ct);
                spec["healthCheckNodePort"] = taken;
                newlyTaken.NodePorts.Add(taken);
            }
        }
        return newlyTaken;
    }

    private async Task ReleaseAsync(Allocation allocation, ServiceRef owner, CancellationToken ct)
    {
        if (allocation.ClusterIp is { } ip)
        {
            await ips.ReleaseAsync(ip, owner, ct);
        }
        foreach (var port in allocation.NodePorts)
        {
            await ports.ReleaseAsync(port, owner, ct);
        }
    }
}

/// <summary>The cluster IP and node ports a Service holds.</summary>
internal sealed record Allocation(string? ClusterIp, HashSet<int> NodePorts)
{
    public static Allocation Of(JsonObject? service)
    {
        var spec = service?["spec"] as JsonObject;
        var ip = (string?)spec?["clusterIP"];
        var type = (string?)spec?["type"];
        var ports = type is "NodePort" or "LoadBalancer"
            ? (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p => (int?)p["nodePort"]).OfType<int>().ToHashSet()
            : [];
        if (spec is not null && NeedsHealthCheck(spec) && (int?)spec["healthCheckNodePort"] is { } health and not 0)
        {
            ports.Add(health);
        }
        return new Allocation(type == "ExternalName" || ip is null or "" or "None" ? null : ip, ports);
    }

    /// <summary>upstream's NeedsHealthCheck: a LoadBalancer whose external traffic stays on the node it arrives at.</summary>
    public static bool NeedsHealthCheck(JsonObject spec) =>
        (string?)spec["type"] == "LoadBalancer" && (string?)spec["externalTrafficPolicy"] == "Local";

    public Allocation Except(Allocation other) =>
        new(ClusterIp == other.ClusterIp ? null : ClusterIp, NodePorts.Except(other.NodePorts).ToHashSet());
}
