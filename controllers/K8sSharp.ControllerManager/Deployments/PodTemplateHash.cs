using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> label value and template equality (upstream controller.ComputeHash and
/// deploymentutil.EqualIgnoreHash). The hash is FNV-32a over the template followed, when set, by the collision count
/// (4 bytes, little-endian), printed in decimal and each digit mapped to the alphabet of rand.SafeEncodeString, so it
/// has upstream's shape (e.g. <c>7d4b9c6f58</c>). Upstream hashes Go's spew dump of the struct, which no other
/// language reproduces; here it is the canonical JSON (sorted keys, no nulls or empty values), so values differ from
/// upstream's but are as stable. Equality uses the same canonical form, so nil and empty compare equal as in
/// apimachinery's semantic DeepEqual.
/// </summary>
internal static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var hash = Fnv32a(2166136261, Encoding.UTF8.GetBytes(Canonical(template, withoutHashLabel: false)));
        if (collisionCount is { } count)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)count));
            hash = Fnv32a(hash, bytes);
        }
        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
    }

    /// <summary>True when the templates are the same apart from the pod-template-hash label.</summary>
    public static bool EqualIgnoringHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        Canonical(a, withoutHashLabel: true) == Canonical(b, withoutHashLabel: true);

    private static uint Fnv32a(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash = unchecked((hash ^ b) * 16777619);
        }
        return hash;
    }

    private static string Canonical(V1PodTemplateSpec? template, bool withoutHashLabel)
    {
        var node = template is null ? null : JsonNode.Parse(KubernetesJson.Serialize(template));
        if (withoutHashLabel && node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
        }
        return Normalize(node)?.ToJsonString() ?? "{}";
    }

    /// <summary>Sorted keys; nulls, empty objects and empty arrays dropped (they mean "unset").</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Normalize(value) is { } normalized)
                    {
                        sorted[key] = normalized;
                    }
                }
                return sorted.Count == 0 ? null : sorted;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Normalize(item) ?? new JsonObject());
                }
                return items.Count == 0 ? null : items;
            default:
                return node?.DeepClone();
        }
    }
}
