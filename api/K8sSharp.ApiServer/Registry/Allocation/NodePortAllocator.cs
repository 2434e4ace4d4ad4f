using System.Globalization;
using System.Text;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry.Allocation;

/// <summary>
/// Node ports (30000-32767): one storage key per taken port, <c>/registry/k8ssharp/nodeports/&lt;port&gt;</c>, holding
/// the owning Service's <c>namespace/name</c>. Creating the key is the atomic reservation.
/// </summary>
internal sealed class NodePortAllocator(IStorage storage)
{
    public const int First = 30000;
    public const int Last = 32767;
    public const string Prefix = "/registry/k8ssharp/nodeports/";

    /// <summary>Takes <paramref name="port"/> (or a free one when null) for the Service; returns the port.</summary>
    public async Task<int> AllocateAsync(int? port, ServiceRef owner, string field, bool dryRun, CancellationToken ct)
    {
        if (port is { } wanted)
        {
            if (wanted is < First or > Last)
            {
                throw Invalid(owner, field, wanted, $"provided port is not in the valid range. The range of valid ports is {First}-{Last}");
            }
            return await TryTakeAsync(wanted, owner, dryRun, ct) ? wanted : throw Invalid(owner, field, wanted, "provided port is already allocated");
        }
        var start = Random.Shared.Next(First, Last + 1);
        for (var i = 0; i <= Last - First; i++)
        {
            var candidate = First + ((start - First + i) % (Last - First + 1));
            if (await TryTakeAsync(candidate, owner, dryRun, ct))
            {
                return candidate;
            }
        }
        throw new ApiException(500, "InternalError", "Internal error occurred: failed to allocate a nodePort: range is full");
    }

    public async Task ReleaseAsync(int port, ServiceRef owner, CancellationToken ct)
    {
        var stored = await storage.GetAsync(Key(port), ct);
        if (stored is not null && Owner(stored.Value) == owner)
        {
            try
            {
                await storage.DeleteAsync(Key(port), stored.ModRevision, ct);
            }
            catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Conflict)
            {
                // Freed or retaken meanwhile.
            }
        }
    }

    public static string Key(int port) => Prefix + port.ToString(CultureInfo.InvariantCulture);

    public static ServiceRef Owner(byte[] value)
    {
        var text = Encoding.UTF8.GetString(value);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return new ServiceRef(text[..slash], text[(slash + 1)..]);
    }

    public static byte[] Value(ServiceRef owner) => Encoding.UTF8.GetBytes($"{owner.Namespace}/{owner.Name}");

    private async Task<bool> TryTakeAsync(int port, ServiceRef owner, bool dryRun, CancellationToken ct)
    {
        var existing = await storage.GetAsync(Key(port), ct);
        if (existing is not null)
        {
            return Owner(existing.Value) == owner;
        }
        if (dryRun)
        {
            return true;
        }
        try
        {
            await storage.CreateAsync(Key(port), Value(owner), ct);
            return true;
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.KeyExists)
        {
            return false;
        }
    }

    private static ApiException Invalid(ServiceRef owner, string field, int port, string detail) =>
        ApiException.Invalid("", "Service", owner.Name, [new StatusCause("FieldValueInvalid", $"Invalid value: {port}: {detail}", field)]);
}
