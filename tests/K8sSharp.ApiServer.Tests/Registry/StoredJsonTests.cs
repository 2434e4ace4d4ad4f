using System.Text;
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
    [InlineData("""{"metadata":{"name":"p","annotations":{"a":"{\"x\":1}"}}}""")]
    [InlineData("""{"metadata":{"name":"p","annotations":{"a":"\u003Cb\u003E"}}}""")]
    [InlineData("""{"metadata":{"name":"grüße"}}""")]
    [InlineData("""{"metadata":{"name":"p","resourceVersion":"7"}}""")]
    [InlineData("""{"metadata": {"name":"p"}}""")]
    [InlineData("""{"kind":"x"}""")]
    [InlineData("""{"metadata":"p"}""")]
    public void AnythingReserialisingCouldChangeIsRefused(string json)
    {
        StoredJson.TryWithResourceVersion(Encoding.UTF8.GetBytes(json), 42, out _).Should().BeFalse();
    }
}
