using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace K8sSharp.Api.Serialization;

/// <summary>
/// YAML to JSON and back, as sigs.k8s.io/yaml does it: YAML is only another spelling of the JSON object model.
/// Plain scalars resolve by the YAML 1.2 core schema (null, booleans, integers, floats); quoted scalars are strings.
/// </summary>
public static partial class YamlJson
{
    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Parses the first YAML document. Throws <see cref="FormatException"/> with the parser's message on bad input.</summary>
    public static JsonNode? Parse(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            throw new FormatException($"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some malformed input this way; it is still the client's error.
            throw new FormatException($"error converting YAML to JSON: {e.Message}", e);
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new FormatException("error converting YAML to JSON: unsupported YAML node"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new FormatException("error converting YAML to JSON: mapping keys must be scalars");
            obj[name] = Convert(value);
        }
        return obj;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>Writes a JSON node as block-style YAML, quoting strings that would otherwise read back as another type.</summary>
    public static string Serialize(JsonNode? node)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in obj)
                {
                    emitter.Emit(new Scalar(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new Scalar("null"));
                break;
            default:
                EmitValue(emitter, (JsonValue)node);
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            emitter.Emit(new Scalar(value.ToJsonString()));
            return;
        }
        var text = value.GetValue<string>();
        var plainReadsBack = ConvertScalar(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is JsonValue v
            && v.GetValueKind() == JsonValueKind.String;
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : plainReadsBack ? ScalarStyle.Any : ScalarStyle.DoubleQuoted;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }
}
