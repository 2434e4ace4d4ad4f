using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>
/// Server-side field validation (<c>fieldValidation=Strict|Warn|Ignore</c>): finds the fields of an object that
/// its OpenAPI schema does not declare, and removes them, as decoding into Go structs does upstream. Objects
/// without <c>properties</c> (RawExtension, FieldsV1) and <c>x-kubernetes-preserve-unknown-fields</c> subtrees
/// are free-form. Also reports values whose JSON type cannot decode into the declared type.
/// </summary>
public sealed class FieldValidator(SchemaIndex schemas)
{
    /// <summary>Walks <paramref name="obj"/> against <paramref name="root"/>; removes unknown fields in place.</summary>
    /// <returns>The problems, worded as upstream words them.</returns>
    public FieldProblems Prune(JsonObject obj, JsonObject root)
    {
        var problems = new FieldProblems([], []);
        Walk(obj, root, string.Empty, problems);
        return problems;
    }

    private void Walk(JsonNode? node, JsonObject schema, string path, FieldProblems problems)
    {
        schema = schemas.Resolve(schema);
        if (node is null || schema["x-kubernetes-preserve-unknown-fields"] is JsonValue)
        {
            return;
        }
        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                WalkProperties(obj, properties, path, problems);
                break;
            case JsonObject obj when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (key, value) in obj)
                {
                    Walk(value, valueSchema, Join(path, key), problems);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], itemSchema, $"{path}[{i}]", problems);
                }
                break;
            default:
                CheckType(node, schema, path, problems);
                break;
        }
    }

    private void WalkProperties(JsonObject obj, JsonObject properties, string path, FieldProblems problems)
    {
        List<string>? unknown = null;
        foreach (var (key, value) in obj)
        {
            if (properties[key] is JsonObject propertySchema)
            {
                Walk(value, propertySchema, Join(path, key), problems);
            }
            else
            {
                (unknown ??= []).Add(key);
            }
        }
        foreach (var key in unknown ?? [])
        {
            problems.UnknownFields.Add($"unknown field \"{Join(path, key)}\"");
            obj.Remove(key);
        }
    }

    /// <summary>Type mismatches that Go's JSON decoding rejects; int-or-string and quantities accept both.</summary>
    private static void CheckType(JsonNode node, JsonObject schema, string path, FieldProblems problems)
    {
        var declared = (string?)schema["type"];
        if (declared is null || schema["oneOf"] is not null || schema["anyOf"] is not null)
        {
            return;
        }
        var actual = node.GetValueKind();
        var fits = declared switch
        {
            "string" => actual == JsonValueKind.String,
            "integer" or "number" => actual == JsonValueKind.Number,
            "boolean" => actual is JsonValueKind.True or JsonValueKind.False,
            "object" => actual == JsonValueKind.Object,
            "array" => actual == JsonValueKind.Array,
            _ => true,
        };
        if (!fits)
        {
            problems.TypeErrors.Add($"json: cannot unmarshal {Describe(actual)} into Go value of type {declared} at \"{path}\"");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "value",
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}

/// <param name="UnknownFields">Fields the schema does not declare (<c>unknown field "spec.foo"</c>); they were removed.</param>
/// <param name="TypeErrors">Values that cannot decode into the declared type: always a 400, whatever the validation mode.</param>
public sealed record FieldProblems(List<string> UnknownFields, List<string> TypeErrors);
