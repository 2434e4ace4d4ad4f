using System.Text.Json.Nodes;

namespace K8sSharp.Api.Quota;

/// <summary>
/// Named quantities (<c>v1.ResourceList</c>) and the arithmetic quota needs on them, as upstream's
/// <c>k8s.io/apiserver/pkg/quota/v1</c> helpers (Add, Subtract, Mask, LessThanOrEqual).
/// </summary>
public sealed class ResourceList : Dictionary<string, Quantity>
{
    public ResourceList()
        : base(StringComparer.Ordinal)
    {
    }

    public ResourceList(IEnumerable<KeyValuePair<string, Quantity>> items)
        : base(items, StringComparer.Ordinal)
    {
    }

    /// <summary>The quantities of a JSON map (<c>status.used</c>, <c>resources.requests</c>); invalid entries are skipped.</summary>
    public static ResourceList FromJson(JsonNode? node)
    {
        var list = new ResourceList();
        if (node is JsonObject map)
        {
            foreach (var (name, value) in map)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && Quantity.Parse(text) is { } q)
                {
                    list[name] = q;
                }
                else if (value is JsonValue n && n.TryGetValue<decimal>(out var number))
                {
                    list[name] = Quantity.Of(number);
                }
            }
        }
        return list;
    }

    public JsonObject ToJson()
    {
        var map = new JsonObject();
        foreach (var name in Keys.Order(StringComparer.Ordinal))
        {
            map[name] = this[name].ToString();
        }
        return map;
    }

    public ResourceList Plus(ResourceList other)
    {
        var result = new ResourceList(this);
        foreach (var (name, q) in other)
        {
            result[name] = result.TryGetValue(name, out var mine) ? mine.Add(q) : q;
        }
        return result;
    }

    /// <summary>This minus <paramref name="other"/>, per name present in either.</summary>
    public ResourceList Minus(ResourceList other)
    {
        var result = new ResourceList(this);
        foreach (var (name, q) in other)
        {
            result[name] = result.TryGetValue(name, out var mine) ? mine.Subtract(q) : Quantity.Zero.Subtract(q);
        }
        return result;
    }

    /// <summary>Upstream's SubtractWithNonNegativeResult: the increases only.</summary>
    public ResourceList Increases(ResourceList previous) =>
        new(Minus(previous).Select(p => KeyValuePair.Create(p.Key, p.Value.Value < 0 ? Quantity.Zero : p.Value)));

    /// <summary>Only the names in <paramref name="names"/>.</summary>
    public ResourceList Mask(IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return new ResourceList(this.Where(p => set.Contains(p.Key)));
    }

    /// <summary>Per name of every value (upstream's Max over two lists: names in either).</summary>
    public ResourceList Max(ResourceList other)
    {
        var result = new ResourceList(this);
        foreach (var (name, q) in other)
        {
            if (!result.TryGetValue(name, out var mine) || q.Value > mine.Value)
            {
                result[name] = q;
            }
        }
        return result;
    }

    public bool IsZero => Values.All(q => q.Value == 0);

    /// <summary>The names whose value here exceeds the one in <paramref name="limit"/> (names absent there are not limited).</summary>
    public IReadOnlyList<string> Exceeding(ResourceList limit) =>
        [.. Keys.Where(name => limit.TryGetValue(name, out var max) && this[name].Value > max.Value).Order(StringComparer.Ordinal)];

    /// <summary>Upstream's prettyPrint: <c>name=quantity</c> pairs sorted by name, joined by commas.</summary>
    public string Pretty() =>
        string.Join(",", Keys.Order(StringComparer.Ordinal).Select(name => $"{name}={this[name]}"));
}
