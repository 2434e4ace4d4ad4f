using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Allocation;

/// <summary>
/// Cluster IPs as networking.k8s.io/v1 IPAddress objects, as kube-apiserver 1.33+ allocates them: an address is
/// taken when the IPAddress named after it is created (etcd makes that atomic), and freed when it is deleted.
/// Each IPAddress names its Service in <c>spec.parentRef</c>.
/// </summary>
internal sealed class ClusterIpAllocator(StoreRegistry registry, ServiceCidr cidr)
{
    private const int RandomTries = 64;

    private ResourceStore Addresses => registry.For(registry.Catalog.Find("networking.k8s.io", "v1", "ipaddresses")!);

    /// <summary>Takes <paramref name="ip"/> (or a free address when null) for the Service; returns the address.</summary>
    /// <exception cref="ApiException">422 when the address is outside the range or already taken.</exception>
    public async Task<string> AllocateAsync(string? ip, ServiceRef owner, bool dryRun, CancellationToken ct)
    {
        if (ip is not null)
        {
            if (!cidr.Contains(ip, out _))
            {
                throw Invalid(owner, ip, $"provided IP is not in the valid range. The range of valid IPs is {cidr.Text}");
            }
            if (!await TryTakeAsync(ip, owner, dryRun, ct))
            {
                throw Invalid(owner, ip, "provided IP is already allocated");
            }
            return ip;
        }
        for (var i = 0; i < RandomTries; i++)
        {
            var candidate = cidr.At(cidr.StaticBand + 1 + (uint)Random.Shared.NextInt64(cidr.Size - cidr.StaticBand));
            if (await TryTakeAsync(candidate, owner, dryRun, ct))
            {
                return candidate;
            }
        }
        throw new ApiException(500, "InternalError", $"Internal error occurred: failed to allocate a serviceIP: range {cidr.Text} is full");
    }

    public async Task ReleaseAsync(string ip, ServiceRef owner, CancellationToken ct)
    {
        try
        {
            var current = await Addresses.GetAsync(null, ip, ct);
            if (ServiceRef.FromParentRef(current) == owner)
            {
                await Addresses.DeleteAsync(null, ip, new DeleteRequest(), ct);
            }
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already free.
        }
    }

    /// <returns>Whether the address is now the owner's (newly taken, or already its own).</returns>
    private async Task<bool> TryTakeAsync(string ip, ServiceRef owner, bool dryRun, CancellationToken ct)
    {
        try
        {
            await Addresses.CreateAsync(null, owner.IPAddressFor(ip), new WriteOptions(dryRun, "k8ssharp-apiserver"), ct);
            return true;
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return ServiceRef.FromParentRef(await Addresses.GetAsync(null, ip, ct)) == owner;
        }
    }

    private static ApiException Invalid(ServiceRef owner, string ip, string detail) =>
        ApiException.Invalid("", "Service", owner.Name, [new StatusCause("FieldValueInvalid", $"Invalid value: \"{ip}\": {detail}", "spec.clusterIPs[0]")]);
}

/// <summary>The Service that owns an allocation.</summary>
internal readonly record struct ServiceRef(string Namespace, string Name)
{
    public static ServiceRef Of(JsonObject service) => new(service.Namespace() ?? string.Empty, service.Name() ?? string.Empty);

    public static ServiceRef? FromParentRef(JsonObject ipAddress) =>
        ipAddress["spec"]?["parentRef"] is JsonObject parent && (string?)parent["resource"] == "services"
            ? new ServiceRef((string?)parent["namespace"] ?? string.Empty, (string?)parent["name"] ?? string.Empty)
            : null;

    public JsonObject IPAddressFor(string ip) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "IPAddress",
        ["metadata"] = new JsonObject
        {
            ["name"] = ip,
            ["labels"] = new JsonObject
            {
                ["ipaddress.kubernetes.io/ip-family"] = "IPv4",
                ["ipaddress.kubernetes.io/managed-by"] = "ipallocator.k8s.io",
            },
        },
        ["spec"] = new JsonObject
        {
            ["parentRef"] = new JsonObject { ["group"] = "", ["resource"] = "services", ["namespace"] = Namespace, ["name"] = Name },
        },
    };
}
