using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), as sent by kubectl apply/edit/set
/// and client-side helm. The merge strategy of each field comes from the OpenAPI schema extensions
/// <c>x-kubernetes-patch-strategy</c> and <c>x-kubernetes-patch-merge-key</c>; semantics follow upstream
/// k8s.io/apimachinery/pkg/util/strategicpatch (re-implemented, not ported).
/// </summary>
public static class StrategicMergePatch
{
    /// <summary>Map directive: <c>"replace"</c> or <c>"delete"</c>; in a merge list item also <c>"delete"</c>/<c>"replace"</c>.</summary>
    internal const string PatchDirective = "$patch";
    internal const string RetainKeysDirective = "$retainKeys";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    internal const string SetElementOrderPrefix = "$setElementOrder";

    /// <summary>
    /// Applies <paramref name="patch"/> to a deep copy of <paramref name="original"/> and returns the copy;
    /// neither argument is modified. <paramref name="schema"/> is the kind's schema; when null every map merges
    /// and every list is replaced (JSON merge patch plus directive handling). Directives never reach the result.
    /// </summary>
    /// <exception cref="PatchException">A directive is malformed or a merge key is missing; the message follows upstream.</exception>
    public static JsonObject Apply(JsonObject original, JsonObject patch, JsonObject? schema, SchemaIndex schemas)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(schemas);
        var merger = new StrategicMerger(schemas);
        return merger.MergeMap((JsonObject)original.DeepClone(), patch, schema is null ? null : schemas.Resolve(schema));
    }

    internal static bool IsDirectiveKey(string key) =>
        key is PatchDirective or RetainKeysDirective
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal);

    /// <summary>The field a <c>$prefix/field</c> directive key names; a key without the slash is malformed upstream too.</summary>
    internal static string DirectiveTarget(string key, string prefix, string formatError)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !string.Equals(key[..slash], prefix, StringComparison.Ordinal))
        {
            throw new PatchException(formatError);
        }
        return key[(slash + 1)..];
    }
}
