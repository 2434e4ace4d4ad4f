using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry.Allocation;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Creates the objects every cluster has, if missing: the four system namespaces, the <c>kubernetes</c>
/// ServiceCIDR, the system-node-critical and system-cluster-critical PriorityClasses, and the <c>default/kubernetes</c> Service (the first service IP, port 443) with the Endpoints and
/// EndpointSlice that point at this API server, as kube-apiserver's bootstrap controllers do.
/// </summary>
internal static class SystemObjects
{
    private static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(StoreRegistry registry, string advertiseAddress, int securePort, CancellationToken ct)
    {
        foreach (var name in Namespaces)
        {
            await CreateIfMissingAsync(registry, "", "namespaces", null, Object("v1", "Namespace", name, null), ct);
        }
        var cidr = Object("networking.k8s.io/v1", "ServiceCIDR", "kubernetes", null);
        cidr["spec"] = new JsonObject { ["cidrs"] = new JsonArray(ServiceCidr.Default.Text) };
        await CreateIfMissingAsync(registry, "networking.k8s.io", "servicecidrs", null, cidr, ct);
        await CreateIfMissingAsync(registry, "", "services", "default", KubernetesService(securePort), ct);
        await CreateOrRefreshAsync(registry, "", "endpoints", ["subsets"], KubernetesEndpoints(advertiseAddress, securePort), ct);
        await CreateOrRefreshAsync(registry, "discovery.k8s.io", "endpointslices", ["endpoints", "ports"], KubernetesEndpointSlice(advertiseAddress, securePort), ct);
        await CreateIfMissingAsync(registry, "scheduling.k8s.io", "priorityclasses", null,
            PriorityClass("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."), ct);
        await CreateIfMissingAsync(registry, "scheduling.k8s.io", "priorityclasses", null,
            PriorityClass("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."), ct);
    }

    /// <summary>The built-in classes kube-apiserver's scheduling bootstrap creates (same values as PodAdmissionDefaults).</summary>
    private static JsonObject PriorityClass(string name, int value, string description)
    {
        var priorityClass = Object("scheduling.k8s.io/v1", "PriorityClass", name, null);
        priorityClass["value"] = value;
        priorityClass["description"] = description;
        priorityClass["preemptionPolicy"] = "PreemptLowerPriority";
        return priorityClass;
    }

    internal static ResourceStore StoreOf(StoreRegistry registry, string group, string resource)
    {
        var version = group.Length == 0 ? "v1" : registry.Catalog.Groups.First(g => g.Name == group).Versions[0];
        return registry.For(registry.Catalog.Find(group, version, resource)!);
    }

    internal static async Task CreateIfMissingAsync(StoreRegistry registry, string group, string resource, string? ns, JsonObject obj, CancellationToken ct)
    {
        try
        {
            await StoreOf(registry, group, resource).CreateAsync(ns, obj, new WriteOptions(FieldManager: "k8ssharp-apiserver"), ct);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Already there from an earlier start.
        }
    }

    /// <summary>
    /// The endpoints of default/kubernetes follow this server's address and port across restarts (upstream's
    /// endpoint reconciler): created when missing, <paramref name="fields"/> rewritten when they differ.
    /// </summary>
    private static async Task CreateOrRefreshAsync(StoreRegistry registry, string group, string resource, string[] fields, JsonObject wanted, CancellationToken ct)
    {
        var store = StoreOf(registry, group, resource);
        var name = (string)wanted["metadata"]!["name"]!;
        await CreateIfMissingAsync(registry, group, resource, "default", wanted.DeepClone().AsObject(), ct);
        await store.GuaranteedUpdateAsync("default", name, 0, false, SystemWriteStrategy.Instance, current =>
        {
            foreach (var field in fields)
            {
                current[field] = wanted[field]!.DeepClone();
            }
            return current;
        }, ct, systemWrite: true);
    }

    private static JsonObject Object(string apiVersion, string kind, string name, JsonObject? labels) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = labels is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["labels"] = labels },
    };

    private static JsonObject KubernetesService(int securePort)
    {
        var service = Object("v1", "Service", "kubernetes", new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" });
        service["spec"] = new JsonObject
        {
            ["clusterIP"] = ServiceCidr.Default.First,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = securePort }),
            ["sessionAffinity"] = "None",
            ["type"] = "ClusterIP",
        };
        return service;
    }

    private static JsonObject KubernetesEndpoints(string address, int securePort)
    {
        var endpoints = Object("v1", "Endpoints", "kubernetes", new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" });
        endpoints["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = address }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = securePort, ["protocol"] = "TCP" }),
        });
        return endpoints;
    }

    private static JsonObject KubernetesEndpointSlice(string address, int securePort)
    {
        var slice = Object("discovery.k8s.io/v1", "EndpointSlice", "kubernetes", new JsonObject { ["kubernetes.io/service-name"] = "kubernetes" });
        slice["addressType"] = "IPv4";
        slice["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(address),
            ["conditions"] = new JsonObject { ["ready"] = true },
        });
        slice["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = securePort, ["protocol"] = "TCP" });
        return slice;
    }
}
