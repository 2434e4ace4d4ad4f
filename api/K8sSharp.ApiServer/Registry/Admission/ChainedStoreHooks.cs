using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// Several <see cref="IStoreHooks"/> of one kind run in order, as upstream's admission chain runs its plugins: a
/// Begin that throws undoes the ones before it; finishing runs every finisher, last first.
/// </summary>
internal sealed class ChainedStoreHooks(params IStoreHooks[] hooks) : IStoreHooks
{
    public Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct) =>
        BeginAllAsync(h => h.BeginCreateAsync(obj, dryRun, ct));

    public Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct) =>
        BeginAllAsync(h => h.BeginUpdateAsync(updated, old, dryRun, ct));

    public async Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct)
    {
        foreach (var hook in hooks)
        {
            await hook.AfterDeleteAsync(deleted, ct);
        }
    }

    private async Task<Func<bool, Task>> BeginAllAsync(Func<IStoreHooks, Task<Func<bool, Task>>> begin)
    {
        var finishers = new List<Func<bool, Task>>();
        try
        {
            foreach (var hook in hooks)
            {
                finishers.Add(await begin(hook));
            }
        }
        catch
        {
            await FinishAllAsync(finishers, false);
            throw;
        }
        return stored => FinishAllAsync(finishers, stored);
    }

    private static async Task FinishAllAsync(List<Func<bool, Task>> finishers, bool stored)
    {
        for (var i = finishers.Count - 1; i >= 0; i--)
        {
            await finishers[i](stored);
        }
    }
}
