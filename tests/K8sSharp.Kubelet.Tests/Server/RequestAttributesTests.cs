using K8sSharp.Kubelet.Server.Auth;

namespace K8sSharp.Kubelet.Tests.Server;

public sealed class RequestAttributesTests
{
    [Theory]
    [InlineData("/stats/summary", "stats")]
    [InlineData("/stats", "stats")]
    [InlineData("/metrics/resource", "metrics")]
    [InlineData("/metrics/cadvisor", "metrics")]
    [InlineData("/logs/", "log")]
    [InlineData("/checkpoint/ns/pod/c", "checkpoint")]
    [InlineData("/pods", "pods,proxy")]
    [InlineData("/healthz", "healthz,proxy")]
    [InlineData("/configz", "configz,proxy")]
    [InlineData("/containerLogs/ns/pod/c", "proxy")]
    [InlineData("/exec/ns/pod/c", "proxy")]
    [InlineData("/portForward/ns/pod", "proxy")]
    [InlineData("/statsfoo", "proxy")]
    public void The_path_names_the_subresource_as_upstream(string path, string expected) =>
        string.Join(',', RequestAttributes.Subresources(path)).Should().Be(expected);

    [Theory]
    [InlineData("GET", "get")]
    [InlineData("HEAD", "get")]
    [InlineData("POST", "create")]
    [InlineData("PUT", "update")]
    [InlineData("PATCH", "patch")]
    [InlineData("DELETE", "delete")]
    public void The_method_names_the_verb(string method, string verb) =>
        RequestAttributes.Verb(method).Should().Be(verb);
}
