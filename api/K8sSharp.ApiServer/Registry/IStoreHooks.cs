using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// What a kind adds around the generic store's writes (upstream's BeginCreate/BeginUpdate/AfterDelete store
/// decorators), for side effects such as Service IP and port allocation. A Begin call may change the object
/// and returns how to finish: with true once the write is stored, with false to undo what it did.
/// </summary>
internal interface IStoreHooks
{
    Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct);

    Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct);

    Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct);
}
