using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// LimitRanges get upstream's <c>SetDefaults_LimitRangeItem</c> for Container items: a missing <c>default</c> is the
/// <c>max</c>, a missing <c>defaultRequest</c> the <c>default</c>, else the <c>min</c>.
/// </summary>
internal sealed class LimitRangeStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        ApplyItemDefaults(obj);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        ApplyItemDefaults(updated);
    }

    public static void ApplyItemDefaults(JsonObject limitRange)
    {
        foreach (var item in (limitRange["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)item["type"] != "Container")
            {
                continue;
            }
            var defaults = item["default"] as JsonObject ?? [];
            var defaultRequests = item["defaultRequest"] as JsonObject ?? [];
            FillMissing(defaults, item["max"] as JsonObject);
            FillMissing(defaultRequests, defaults);
            FillMissing(defaultRequests, item["min"] as JsonObject);
            SetIfAny(item, "default", defaults);
            SetIfAny(item, "defaultRequest", defaultRequests);
        }
    }

    private static void FillMissing(JsonObject target, JsonObject? source)
    {
        foreach (var (name, value) in source ?? [])
        {
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static void SetIfAny(JsonObject item, string field, JsonObject values)
    {
        if (values.Count > 0 && values.Parent is null)
        {
            item[field] = values;
        }
    }
}
