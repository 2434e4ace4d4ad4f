using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Turns a write's body into the object the store receives: decodes any supported format, checks apiVersion and
/// kind against the URL, and applies server-side field validation (Strict: 400 naming every unknown or duplicate
/// field; Warn: drops them with a <c>Warning</c> header each; Ignore: drops them silently).
/// </summary>
internal sealed class ObjectDecoder(SchemaIndex schemas)
{
    private readonly FieldValidator validator = new(schemas);

    public async Task<JsonObject> DecodeAsync(HttpContext context, GroupVersionKind expected, CancellationToken ct)
    {
        var (obj, duplicates) = await BodyReader.ReadObjectAsync(context.Request, ct);
        CheckTypeMeta(obj, expected);
        Validate(context, obj, expected, duplicates);
        return obj;
    }

    /// <summary>Fills apiVersion and kind when absent; a different one is a 400, as upstream's decoder says it.</summary>
    private static void CheckTypeMeta(JsonObject obj, GroupVersionKind expected)
    {
        var apiVersion = obj.GetStringOrNull("apiVersion");
        var kind = obj.GetStringOrNull("kind");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != expected.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected.ApiVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != expected.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expected.Kind})");
        }
        var rest = obj.Where(p => p.Key is not "apiVersion" and not "kind").ToList();
        obj.Clear();
        obj["apiVersion"] = expected.ApiVersion;
        obj["kind"] = expected.Kind;
        foreach (var (key, value) in rest)
        {
            obj[key] = value;
        }
    }

    public void Validate(HttpContext context, JsonObject obj, GroupVersionKind gvk, IReadOnlyList<string> duplicates)
    {
        var mode = context.Request.FieldValidation();
        var problems = schemas.ForKind(gvk) is { } schema ? validator.Prune(obj, schema) : new FieldProblems([], []);
        if (problems.TypeErrors.Count > 0)
        {
            throw ApiException.BadRequest(string.Join("; ", problems.TypeErrors));
        }
        var unknown = duplicates.Concat(problems.UnknownFields).ToList();
        if (unknown.Count == 0 || mode == "Ignore")
        {
            return;
        }
        if (mode == "Strict")
        {
            throw ApiException.BadRequest($"strict decoding error: {string.Join(", ", unknown)}");
        }
        foreach (var problem in unknown)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{problem.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }
}

internal static class JsonObjectExtensions
{
    public static string? GetStringOrNull(this JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
