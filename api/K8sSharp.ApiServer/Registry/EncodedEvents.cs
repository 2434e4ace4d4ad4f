using System.Runtime.CompilerServices;
using K8sSharp.ApiServer.Serialization;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The wire JSON of a storage event's object, computed once per event. The watch cache hands the same
/// <see cref="StorageEvent"/> instance to every watcher, so keying on it shares the work among them; entries
/// go away with the events. Only for resources stored as served: converted ones encode per watcher.
/// </summary>
internal static class EncodedEvents
{
    private static readonly ConditionalWeakTable<StorageEvent, byte[]> Encoded = [];

    public static byte[] Json(StorageEvent change) =>
        Encoded.GetValue(change, e => ResponseWriter.ToJsonBytes(ResourceStore.Parse(e.Value, e.Revision)));
}
