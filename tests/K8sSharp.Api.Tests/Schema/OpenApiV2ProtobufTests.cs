using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Schema;

/// <summary>The gnostic openapi.v2.Document encoding, read back field by field along OpenAPIv2.proto's numbers.</summary>
public sealed class OpenApiV2ProtobufTests
{
    /// <summary>Field number -> every occurrence's raw value (length-delimited bytes, or the varint/fixed64 as bytes).</summary>
    private static ILookup<int, ByteString> Fields(ByteString message)
    {
        var input = message.CreateCodedInput();
        var fields = new List<(int, ByteString)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.LengthDelimited => (number, input.ReadBytes()),
                WireFormat.WireType.Fixed64 => (number, ByteString.CopyFrom(BitConverter.GetBytes(input.ReadDouble()))),
                _ => (number, ByteString.CopyFrom(BitConverter.GetBytes(input.ReadInt64()))),
            });
        }
        return fields.ToLookup(f => f.Item1, f => f.Item2);
    }

    private static string Text(ByteString bytes) => bytes.ToStringUtf8();

    /// <summary>The value of the Named* pair called <paramref name="name"/> among occurrences of a repeated pair field.</summary>
    private static ByteString Pair(IEnumerable<ByteString> pairs, string name) =>
        pairs.Select(Fields).Single(p => Text(p[1].Single()) == name)[2].Single();

    [Fact]
    public void TheOfficialDocumentCarriesVersionPathsParametersAndExtensions()
    {
        var document = Fields(ByteString.CopyFrom(OpenApiV2Document.Protobuf.Bytes));
        Text(document[1].Single()).Should().Be("2.0");
        Text(Fields(document[2].Single())[1].Single()).Should().Be("Kubernetes");

        var paths = Fields(document[8].Single());
        var pod = Fields(Pair(paths[2], "/api/v1/namespaces/{namespace}/pods/{name}"));
        var patch = Fields(pod[8].Single());
        Text(patch[5].Single()).Should().Be("patchCoreV1NamespacedPod");
        var gvk = Text(Fields(Pair(patch[13], "x-kubernetes-group-version-kind"))[2].Single());
        JsonNode.Parse(gvk)!["kind"]!.GetValue<string>().Should().Be("Pod");
        // parameters: ParametersItem{1 Parameter{2 NonBodyParameter{3 QueryParameterSubSchema{4 name}}}}
        var queryNames = patch[8].Select(Fields).Where(i => i.Contains(1))
            .Select(i => Fields(i[1].Single())).Where(p => p.Contains(2))
            .Select(p => Fields(p[2].Single())).Where(n => n.Contains(3))
            .Select(n => Text(Fields(n[3].Single())[4].Single()));
        queryNames.Should().Contain("fieldValidation");
    }

    [Fact]
    public void SchemasKeepTypesReferencesPropertiesAndRequired()
    {
        var document = Fields(ByteString.CopyFrom(OpenApiV2Document.Protobuf.Bytes));
        var definitions = Fields(document[9].Single());
        var pod = Fields(Pair(definitions[1], "io.k8s.api.core.v1.Pod"));
        Text(Fields(pod[22].Single())[1].Single()).Should().Be("object");
        var properties = Fields(pod[25].Single());
        var spec = Fields(Pair(properties[1], "spec"));
        Text(spec[1].Single()).Should().Be("#/definitions/io.k8s.api.core.v1.PodSpec");
        var podSpec = Fields(Pair(definitions[1], "io.k8s.api.core.v1.PodSpec"));
        podSpec[19].Select(Text).Should().Contain("containers");
    }

    [Fact]
    public void BooleanAdditionalPropertiesAndArrayItemsUseTheirOneofShapes()
    {
        var document = new JsonObject
        {
            ["swagger"] = "2.0",
            ["definitions"] = new JsonObject
            {
                ["a"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string" },
                    ["additionalProperties"] = false,
                    ["maxLength"] = 3,
                    ["enum"] = new JsonArray("x", "y"),
                },
            },
        };
        var schema = Fields(Pair(Fields(Fields(ByteString.CopyFrom(OpenApiV2Protobuf.Encode(document)))[9].Single())[1], "a"));
        var items = Fields(schema[23].Single())[1].Select(Fields).Single();
        Text(Fields(items[22].Single())[1].Single()).Should().Be("string");
        Fields(schema[21].Single()).Contains(2).Should().BeTrue("false is the boolean alternative, present as a field");
        BitConverter.ToInt64(schema[11].Single().Span).Should().Be(3);
        schema[20].Select(e => Text(Fields(e)[2].Single()).Trim()).Should().Equal("\"x\"", "\"y\"");
    }
}
