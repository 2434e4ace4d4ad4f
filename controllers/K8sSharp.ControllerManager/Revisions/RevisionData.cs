using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.Revisions;

/// <summary>
/// What a ControllerRevision of a DaemonSet or StatefulSet holds and how it is named (upstream
/// pkg/controller/history and the controllers' getPatch): <c>data</c> is the strategic merge patch
/// <c>{"spec":{"template":{…,"$patch":"replace"}}}</c>, which kubectl applies for <c>rollout history --revision</c>
/// and <c>rollout undo</c>; the name is <c>&lt;owner&gt;-&lt;hash&gt;</c>. Hashes are FNV-32a over canonical JSON
/// (object keys sorted), plus the collision count, encoded with apimachinery's SafeEncodeString alphabet.
/// </summary>
internal static class RevisionData
{
    /// <summary>Label on ControllerRevisions and pods naming the revision (apps/v1 ControllerRevisionHashLabelKey).</summary>
    public const string HashLabel = "controller-revision-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The patch that turns any object of the kind back into this template.</summary>
    public static JsonObject PatchFor(V1PodTemplateSpec template)
    {
        var node = Canonical(JsonNode.Parse(KubernetesJson.Serialize(template)) ?? new JsonObject()).AsObject();
        node["$patch"] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = node } };
    }

    /// <summary>The revision's data as JSON (the client model carries it as an untyped object).</summary>
    public static JsonNode? DataOf(V1ControllerRevision revision) =>
        revision.Data is null ? null : JsonNode.Parse(KubernetesJson.Serialize(revision.Data));

    /// <summary>True when the revision holds exactly this patch (upstream compares the raw bytes; we compare the JSON).</summary>
    public static bool Holds(V1ControllerRevision revision, JsonObject patch) =>
        DataOf(revision) is { } data && JsonNode.DeepEquals(Canonical(data), patch);

    /// <summary>The pod template a revision restores, without the patch directive.</summary>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        if (DataOf(revision)?["spec"]?["template"] is not JsonObject template)
        {
            return null;
        }
        template.Remove("$patch");
        return KubernetesJson.Deserialize<V1PodTemplateSpec>(template.ToJsonString());
    }

    /// <summary>Upstream ComputeHash / HashControllerRevision: FNV-32a of the JSON and the collision count, safe-encoded.</summary>
    public static string Hash(JsonNode value, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(value).ToJsonString());
        var hash = Fnv32a(2166136261u, bytes);
        if (collisionCount is { } count)
        {
            hash = Fnv32a(hash, BitConverter.GetBytes((uint)count));
        }
        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
    }

    /// <summary>Upstream ControllerRevisionName: the owner's name (cut to 223 characters) and the hash.</summary>
    public static string Name(string owner, string hash) => (owner.Length > 223 ? owner[..223] : owner) + "-" + hash;

    /// <summary>A deep copy with every object's keys in ordinal order, so equal content serialises equally.</summary>
    public static JsonNode Canonical(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(v => v is null ? null : Canonical(v))]),
        _ => node.DeepClone(),
    };

    private static uint Fnv32a(uint hash, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }
}
