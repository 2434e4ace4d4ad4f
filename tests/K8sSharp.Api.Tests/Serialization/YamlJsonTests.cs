using System.Text.Json.Nodes;
using K8sSharp.Api.Serialization;

namespace K8sSharp.Api.Tests.Serialization;

public class YamlJsonTests
{
    [Theory]
    [InlineData("a: 1\nb: true\nc: ~\nd: \"1\"\ne: 1.5\nf: text\ng: [x, 2]\n", """{"a":1,"b":true,"c":null,"d":"1","e":1.5,"f":"text","g":["x",2]}""")]
    [InlineData("metadata:\n  name: x\n  labels:\n    app: web\n", """{"metadata":{"name":"x","labels":{"app":"web"}}}""")]
    [InlineData("s: |\n  line1\n  line2\n", """{"s":"line1\nline2\n"}""")]
    public void YamlReadsAsTheSameJson(string yaml, string json)
    {
        JsonNode.DeepEquals(YamlJson.Parse(yaml), JsonNode.Parse(json)).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"a":"1","b":"true","c":"null","d":"x: y","e":7,"f":["",false],"g":"multi\nline"}""")]
    [InlineData("""{"metadata":{"name":"x","annotations":{"k":"{\"json\":1}"}}}""")]
    public void SerializedYamlRoundTrips(string json)
    {
        var node = JsonNode.Parse(json);
        JsonNode.DeepEquals(YamlJson.Parse(YamlJson.Serialize(node)), node).Should().BeTrue(YamlJson.Serialize(node));
    }

    [Fact]
    public void MalformedYamlIsAFormatException()
    {
        var act = () => YamlJson.Parse("a: [1, 2\nb: 3");
        act.Should().Throw<FormatException>();
    }
}
