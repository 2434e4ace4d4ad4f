using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Tests.Registry;

public class StoredJsonTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x y"}]}}""")]
    [InlineData("""{"metadata":{},"data":{"n":1.50,"t":true,"z":null}}""")]
    [InlineData("""{"kind":"Namespace","metadata":{"name":"ns","managedFields":[{"fieldsV1":{"f:metadata":{}}}]},"status":{"phase":"Active"}}""")]
    public void PlainCompactObjectsAreServedAsParsingAndReserialisingWould(string json)
    {
        var stored = Encoding.UTF8.GetBytes(json);

        StoredJson.TryWithResourceVersion(stored, 42, out var served).Should().BeTrue();

        Encoding.UTF8.GetString(served).Should().Be(Encoding.UTF8.GetString(ResponseWriter.ToJsonBytes(ResourceStore.Parse(stored, 42))));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"p","managedFields":[{"fieldsV1":{"f:spec":{"k:{\u0022name\u0022:\u0022c\u0022}":{}}}}]}}""")]
    [InlineData("""{"metadata":{"name":"p","annotations":{"a":"{\"x\":1}"}}}""")]
    [InlineData("""{"metadata":{"name":"grüße"}}""")]
    [InlineData("""{"metadata": {"name":"p", "labels": {"a": "b"}} }""")]
    public void EscapedOrSpacedObjectsAreServedAsTheSameJsonValue(string json)
    {
        var stored = Encoding.UTF8.GetBytes(json);

        StoredJson.TryWithResourceVersion(stored, 42, out var served).Should().BeTrue();

        JsonNode.DeepEquals(JsonNode.Parse(served), ResourceStore.Parse(stored, 42)).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"p","resourceVersion":"7"}}""")]
    [InlineData("""{"kind":"x"}""")]
    [InlineData("""{"metadata":"p"}""")]
    public void ObjectsWithoutMetadataOrWithAResourceVersionAreRefused(string json)
    {
        StoredJson.TryWithResourceVersion(Encoding.UTF8.GetBytes(json), 42, out _).Should().BeFalse();
    }
}
