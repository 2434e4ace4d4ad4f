using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Schema;

public class FieldValidatorTests
{
    private static readonly FieldValidator Validator = new(SchemaIndex.BuiltIn);

    private static FieldProblems Check(string group, string version, string kind, string json, out JsonObject obj)
    {
        obj = (JsonObject)JsonNode.Parse(json)!;
        return Validator.Prune(obj, SchemaIndex.BuiltIn.ForKind(new GroupVersionKind(group, version, kind))!);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"x"},"data":{"a":"b"}}""", new string[0])]
    [InlineData("""{"metadata":{"name":"x","bogus":1},"extra":true}""", new[] { "unknown field \"metadata.bogus\"", "unknown field \"extra\"" })]
    [InlineData("""{"metadata":{"annotations":{"free":"form"},"managedFields":[{"fieldsV1":{"f:data":{}}}]}}""", new string[0])]
    public void UnknownFieldsAreReportedWithTheirPath(string json, string[] expected)
    {
        var problems = Check("", "v1", "ConfigMap", json, out var obj);
        problems.UnknownFields.Should().BeEquivalentTo(expected);
        obj.ContainsKey("extra").Should().BeFalse();
    }

    [Fact]
    public void NestedListsAndInlineSchemasAreWalked()
    {
        var problems = Check("apps", "v1", "Deployment",
            """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"i","imagePullPolicy":"Always","colour":"red"}]}}}}""", out var obj);
        problems.UnknownFields.Should().Equal("unknown field \"spec.template.spec.containers[0].colour\"");
        obj["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().ContainsKey("colour").Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"spec":{"replicas":"three"}}""", true)]
    [InlineData("""{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":1}}}]}}}}""", false)]
    public void ValuesOfTheWrongTypeAreTypeErrors(string json, bool expectError)
    {
        Check("apps", "v1", "Deployment", json, out _).TypeErrors.Should().HaveCount(expectError ? 1 : 0);
    }
}
