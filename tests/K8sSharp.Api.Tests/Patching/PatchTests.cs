using System.Text.Json.Nodes;
using K8sSharp.Api.Patching;

namespace K8sSharp.Api.Tests.Patching;

public class PatchTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":2,"d":3}}""", """{"b":{"c":null,"e":4},"f":[1]}""", """{"a":1,"b":{"d":3,"e":4},"f":[1]}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[3]}""", """{"a":[3]}""")]
    [InlineData("""{"metadata":{"labels":{"x":"1"}}}""", """{"metadata":{"labels":{"tier":"frontend"}}}""", """{"metadata":{"labels":{"x":"1","tier":"frontend"}}}""")]
    public void MergePatchFollowsRfc7386(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));
        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue(result!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a":{"b":1},"l":[1,2]}""", """[{"op":"replace","path":"/a/b","value":5},{"op":"add","path":"/l/-","value":3},{"op":"remove","path":"/l/0"}]""", """{"a":{"b":5},"l":[2,3]}""")]
    [InlineData("""{"metadata":{"annotations":{"x~y":"1"}}}""", """[{"op":"move","from":"/metadata/annotations/x~0y","path":"/z"}]""", """{"metadata":{"annotations":{}},"z":"1"}""")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a","value":1},{"op":"copy","from":"/a","path":"/b"}]""", """{"a":1,"b":1}""")]
    public void JsonPatchFollowsRfc6902(string target, string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse(target)!, JsonNode.Parse(patch)!.AsArray());
        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue(result.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""")]
    [InlineData("""[{"op":"explode","path":"/a"}]""")]
    [InlineData("""[{"path":"/a"}]""")]
    public void FailingJsonPatchesThrowAndLeaveTheTargetUnchanged(string patch)
    {
        var target = JsonNode.Parse("""{"a":1}""")!;
        var act = () => JsonPatch.Apply(target, JsonNode.Parse(patch)!.AsArray());
        act.Should().Throw<PatchException>();
        target.ToJsonString().Should().Be("""{"a":1}""");
    }
}
