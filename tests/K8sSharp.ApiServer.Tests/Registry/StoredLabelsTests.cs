using System.Text;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Tests.Registry;

public class StoredLabelsTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","metadata":{"name":"x","annotations":{"a":"{\"labels\":1}"},"labels":{"app":"web","tier":""}},"spec":{"labels":{"no":"pe"}}}""", "app=web,tier=")]
    [InlineData("""{"spec":{"metadata":{"labels":{"app":"nested"}}},"metadata":{"labels":{"app":"top"}}}""", "app=top")]
    [InlineData("""{"metadata":{"name":"x"}}""", null)]
    [InlineData("""{"kind":"ConfigMap"}""", null)]
    [InlineData("""[1,2]""", null)]
    public void ReadsOnlyTopLevelMetadataLabels(string json, string? expected)
    {
        var labels = StoredLabels.Read(Encoding.UTF8.GetBytes(json));
        var text = labels is null ? null : string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        text.Should().Be(expected);
    }
}
