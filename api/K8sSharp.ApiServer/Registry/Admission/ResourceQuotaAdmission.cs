using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Quota;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// The ResourceQuota admission plugin (upstream plugin/pkg/admission/resourcequota), last in a kind's chain so it sees
/// the object as the other plugins left it. A create (and, for kinds whose updates change usage, an update's
/// increase) is charged to every quota of the namespace it matches: the quota's <c>status.used</c> is raised with a
/// compare-and-swap on its resourceVersion, re-read and re-checked on a conflict, so concurrent writes can never
/// together exceed <c>status.hard</c>. Charges are not undone when the write then fails; the resource-quota controller
/// recalculates usage (as upstream). Dry-run requests are checked but charge nothing.
/// </summary>
internal sealed class ResourceQuotaAdmission(StoreRegistry registry, ApiResource resource, IQuotaEvaluator evaluator, TimeProvider time) : IStoreHooks
{
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;

    private ResourceStore Quotas => registry.For(registry.Catalog.Find("", "v1", "resourcequotas")!);

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        await ChargeAsync(obj, evaluator.Usage(obj, time.GetUtcNow()), dryRun, ct);
        return Nothing;
    }

    public async Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct)
    {
        if (evaluator.ChargesUpdates)
        {
            var now = time.GetUtcNow();
            await ChargeAsync(updated, evaluator.Usage(updated, now).Increases(evaluator.Usage(old, now)), dryRun, ct);
        }
        return Nothing;
    }

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private async Task ChargeAsync(JsonObject obj, ResourceList delta, bool dryRun, CancellationToken ct)
    {
        if (obj.Namespace() is not { } ns)
        {
            return;
        }
        var quotas = (await Quotas.ListAsync(ns, new ListRequest(), ct)).Items;
        var charges = new List<(string Quota, IReadOnlyList<string> Interesting)>();
        foreach (var quota in quotas)
        {
            var hard = ResourceList.FromJson(quota["status"]?["hard"]);
            var interesting = QuotaEvaluators.Interesting(evaluator, hard.Keys, QuotaEvaluators.Scopes(quota), obj);
            if (interesting.Count == 0)
            {
                continue;
            }
            if (evaluator.Constraints(interesting.ToList(), obj) is { } failure)
            {
                throw Forbidden(obj, $"failed quota: {quota.Name()}: {failure}");
            }
            charges.Add((quota.Name()!, interesting));
        }
        if (delta.IsZero)
        {
            return;
        }
        foreach (var (name, interesting) in charges)
        {
            await ChargeOneAsync(ns, name, obj, delta.Mask(interesting), dryRun, ct);
        }
    }

    /// <summary>Raises one quota's <c>status.used</c> by <paramref name="requested"/>, or throws when that would exceed it.</summary>
    private async Task ChargeOneAsync(string ns, string quotaName, JsonObject obj, ResourceList requested, bool dryRun, CancellationToken ct)
    {
        if (requested.IsZero)
        {
            return;
        }
        var store = Quotas;
        await store.GuaranteedUpdateAsync(ns, quotaName, 0, dryRun, new StatusStrategy(store.Strategy), quota =>
        {
            var status = quota["status"] as JsonObject ?? [];
            var used = ResourceList.FromJson(status["used"]);
            var hard = ResourceList.FromJson(status["hard"]);
            if (requested.Keys.Where(hard.ContainsKey).FirstOrDefault(n => !used.ContainsKey(n)) is not null)
            {
                var unknown = requested.Keys.Where(hard.ContainsKey).Order(StringComparer.Ordinal);
                throw Forbidden(obj, $"status unknown for quota: {quotaName}, resources: {string.Join(",", unknown)}");
            }
            var newUsed = used.Plus(requested);
            if (newUsed.Mask(requested.Keys).Exceeding(hard) is { Count: > 0 } exceeded)
            {
                throw Forbidden(obj, $"exceeded quota: {quotaName}, requested: {requested.Mask(exceeded).Pretty()}, "
                    + $"used: {used.Mask(exceeded).Pretty()}, limited: {hard.Mask(exceeded).Pretty()}");
            }
            status["used"] = newUsed.ToJson();
            quota["status"] = status.DeepClone();
            return quota;
        }, ct, systemWrite: true);
    }

    private ApiException Forbidden(JsonObject obj, string reason) =>
        ApiException.Forbidden($"{resource.Name} \"{obj.Name()}\" is forbidden: {reason}");
}
