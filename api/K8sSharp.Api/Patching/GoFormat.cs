using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Patching;

/// <summary>
/// Renders JSON the way Go's <c>%v</c> prints decoded <c>interface{}</c> values (<c>map[k:v ...]</c> with sorted
/// keys, <c>[a b]</c>, <c>&lt;nil&gt;</c>), so patch error messages read like the upstream API server's.
/// </summary>
internal static class GoFormat
{
    public static string Value(JsonNode? node)
    {
        var builder = new StringBuilder();
        Append(builder, node);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("<nil>");
                break;
            case JsonObject obj:
                builder.Append("map[");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first ? string.Empty : " ").Append(key).Append(':');
                    Append(builder, value);
                    first = false;
                }
                builder.Append(']');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : " ");
                    Append(builder, array[i]);
                }
                builder.Append(']');
                break;
            default:
                builder.Append(Scalar(node.AsValue()));
                break;
        }
    }

    private static string Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d.ToString("G", CultureInfo.InvariantCulture) : value.ToJsonString(),
        _ => value.ToJsonString(),
    };
}
