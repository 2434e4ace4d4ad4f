using System.Text.Json.Nodes;
using K8sSharp.Api.Quota;

namespace K8sSharp.ControllerManager.ResourceQuotas;

/// <summary>
/// What a quota's <c>status</c> should be (upstream's CalculateUsage): <c>hard</c> is <c>spec.hard</c>; <c>used</c> has
/// every hard resource, summed over the namespace's objects of the resource that charges it and that fall in the
/// quota's scopes (zero when none do).
/// </summary>
internal static class QuotaUsage
{
    /// <param name="objectsOf">The objects of a (group, resource) in the quota's namespace, as wire JSON.</param>
    public static async Task<ResourceList> CalculateAsync(JsonObject quota, Func<string, string, Task<IReadOnlyList<JsonObject>>> objectsOf, DateTimeOffset now)
    {
        var hard = ResourceList.FromJson(quota["spec"]?["hard"]);
        var scopes = QuotaEvaluators.Scopes(quota);
        var used = new ResourceList(hard.Keys.Select(name => KeyValuePair.Create(name, Quantity.Zero)));
        var resources = hard.Keys.Select(QuotaEvaluators.ResourceOf).OfType<(string Group, string Resource)>().Distinct();
        foreach (var (group, resource) in resources)
        {
            if (QuotaEvaluators.For(group, resource) is not { } evaluator)
            {
                continue;
            }
            foreach (var obj in await objectsOf(group, resource))
            {
                var interesting = QuotaEvaluators.Interesting(evaluator, hard.Keys, scopes, obj);
                if (interesting.Count > 0)
                {
                    used = used.Plus(evaluator.Usage(obj, now).Mask(interesting));
                }
            }
        }
        return used;
    }
}
