using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;
using static K8sSharp.Api.Patching.StrategicMergePatch;

namespace K8sSharp.Api.Patching;

/// <summary>
/// The map half of strategic merge patch. Contract for every Merge* method: the original side is a private
/// copy that may be mutated and reused in the result; the patch side is never mutated (values taken from it
/// are cloned); the returned nodes are detached (no parent) unless they are the original node itself.
/// </summary>
internal sealed partial class StrategicMerger(SchemaIndex schemas)
{
    private const string RetainKeysFormatError = "invalid patch format of retainKeys";
    private const string PrimitiveListFormatError = "invalid patch format of primitive list";
    private const string SetElementOrderFormatError = "invalid patch format of setElementOrder list";

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/>; <paramref name="schema"/> is resolved (or null).</summary>
    public JsonObject MergeMap(JsonObject original, JsonObject patch, JsonObject? schema)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            return MapDirective(directive, patch, schema);
        }
        ApplyRetainKeys(original, patch);
        var ordered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var field = DirectiveTarget(key, SetElementOrderPrefix, SetElementOrderFormatError);
                if (MergeOrderedList(original, patch, field, value, schema))
                {
                    ordered.Add(field);
                }
            }
        }
        foreach (var (key, value) in patch)
        {
            if (!IsDirectiveKey(key) && !ordered.Contains(key))
            {
                MergeField(original, key, value, PatchField.Lookup(schema, key, schemas));
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, DirectiveTarget(key, DeleteFromPrimitiveListPrefix, PrimitiveListFormatError), value);
            }
        }
        return original;
    }

    /// <summary>
    /// <c>$patch: replace</c> yields the patch map itself (minus directives); <c>$patch: delete</c> yields an empty
    /// map, as upstream does (the key stays, holding <c>{}</c>). Anything else is an unknown patch type.
    /// </summary>
    private JsonObject MapDirective(JsonNode? directive, JsonObject patch, JsonObject? schema)
    {
        switch ((directive as JsonValue)?.TryGetValue<string>(out var name) == true ? name : null)
        {
            case "replace":
                var rest = new JsonObject();
                foreach (var (key, value) in patch)
                {
                    if (key != PatchDirective)
                    {
                        rest[key] = value?.DeepClone();
                    }
                }
                return MergeMap(new JsonObject(), rest, schema);
            case "delete":
                return [];
            default:
                throw BadPatchType(directive, patch);
        }
    }

    internal static PatchException BadPatchType(JsonNode? directive, JsonObject map) =>
        new($"unknown patch type: {GoFormat.Value(directive)} in map: {GoFormat.Value(map)}");

    internal static PatchException NoMergeKey(JsonObject map, string mergeKey) =>
        new($"map: {GoFormat.Value(map)} does not contain declared merge key: {mergeKey}");

    /// <summary>
    /// <c>$retainKeys</c>: every non-null field the patch sets must be listed, and fields of the original that are
    /// not listed are cleared before merging (e.g. switching a deployment strategy to Recreate drops rollingUpdate).
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var node))
        {
            return;
        }
        if (node is not JsonArray list)
        {
            throw new PatchException(RetainKeysFormatError);
        }
        var retained = list.Select(k => (k as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is not null && !IsDirectiveKey(key) && !retained.Contains(key))
            {
                throw new PatchException(RetainKeysFormatError);
            }
        }
        foreach (var key in original.Select(p => p.Key).Where(k => !retained.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>Merges one field: null deletes, a new or differently-typed value replaces, maps and lists recurse.</summary>
    private void MergeField(JsonObject original, string key, JsonNode? patchValue, PatchField field)
    {
        if (patchValue is null)
        {
            original.Remove(key);
            return;
        }
        var current = original[key];
        JsonNode merged = (current, patchValue) switch
        {
            (JsonObject o, JsonObject p) when !field.IsReplace => MergeMap(o, p, field.ValueSchema),
            (JsonArray o, JsonArray p) => MergeList(o, p, field),
            _ => Fresh(patchValue, field),
        };
        if (!ReferenceEquals(merged, current))
        {
            original[key] = merged;
        }
    }

    /// <summary>A patch value that has nothing to merge with, cleaned of directives by merging it into an empty value.</summary>
    private JsonNode Fresh(JsonNode patchValue, PatchField field) => patchValue switch
    {
        JsonObject map => MergeMap([], map, field.ValueSchema),
        JsonArray list => MergeList([], list, field),
        _ => patchValue.DeepClone(),
    };

    /// <summary><c>$deleteFromPrimitiveList/field</c>: removes the listed values; a missing list stays missing.</summary>
    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values)
    {
        if (values is not JsonArray toDelete)
        {
            throw new PatchException(PrimitiveListFormatError);
        }
        if (original[field] is not JsonArray list)
        {
            return;
        }
        var kept = Detach(list).Where(item => !toDelete.Any(d => JsonNode.DeepEquals(d, item))).ToArray();
        original[field] = new JsonArray(kept);
    }

    /// <summary>Empties <paramref name="list"/> and returns its former items, now free to be re-parented.</summary>
    private static List<JsonNode?> Detach(JsonArray list)
    {
        var items = list.ToList();
        list.Clear();
        return items;
    }
}
