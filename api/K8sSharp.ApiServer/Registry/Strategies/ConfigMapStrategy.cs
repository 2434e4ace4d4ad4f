using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// ConfigMaps: keys must be valid config keys, unique across <c>data</c> and <c>binaryData</c>; once
/// <c>immutable: true</c> is stored, neither the data nor the flag may change (<c>ValidateConfigMapUpdate</c>).
/// </summary>
internal sealed partial class ConfigMapStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public const string ImmutableMessage = "field is immutable when `immutable` is set";

    public override IEnumerable<StatusCause> Validate(JsonObject obj)
    {
        var causes = base.Validate(obj).Concat(ConfigKeys(obj["data"] as JsonObject, "data")).Concat(ConfigKeys(obj["binaryData"] as JsonObject, "binaryData"));
        var dataKeys = (obj["data"] as JsonObject ?? []).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in obj["binaryData"] as JsonObject ?? [])
        {
            if (dataKeys.Contains(key))
            {
                causes = causes.Append(Invalid("data", JsonValue.Create(key), "duplicate of key present in binaryData"));
            }
        }
        return causes;
    }

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old) =>
        Validate(updated).Concat(ImmutableData(updated, old, "data", "binaryData"));

    /// <summary>The shared immutability rule of ConfigMaps and Secrets.</summary>
    public static IEnumerable<StatusCause> ImmutableData(JsonObject updated, JsonObject old, params string[] fields)
    {
        if (old["immutable"] is not JsonValue was || !was.TryGetValue<bool>(out var wasImmutable) || !wasImmutable)
        {
            yield break;
        }
        if (updated["immutable"] is not JsonValue now || !now.TryGetValue<bool>(out var isImmutable) || !isImmutable)
        {
            yield return Forbidden("immutable", ImmutableMessage);
        }
        foreach (var field in fields)
        {
            if (!JsonNode.DeepEquals(Normalized(updated[field]), Normalized(old[field])))
            {
                yield return Forbidden(field, ImmutableMessage);
            }
        }
    }

    // An empty map and no map are the same to Go's reflect.DeepEqual after decoding with omitempty.
    private static JsonNode? Normalized(JsonNode? node) => node is JsonObject { Count: 0 } ? null : node;

    /// <summary><c>IsConfigMapKey</c>: each key reported at <c>data[key]</c>.</summary>
    public static IEnumerable<StatusCause> ConfigKeys(JsonObject? map, string field)
    {
        foreach (var (key, _) in map ?? [])
        {
            var problem = key.Length > 253 ? "must be no more than 253 characters"
                : !ConfigKeyPattern().IsMatch(key) ? "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
                : key is "." ? "must not be '.'"
                : key is ".." ? "must not be '..'"
                : key.StartsWith("..", StringComparison.Ordinal) ? "must not start with '..'"
                : null;
            if (problem is not null)
            {
                yield return Invalid($"{field}[{key}]", JsonValue.Create(key), problem);
            }
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKeyPattern();
}
