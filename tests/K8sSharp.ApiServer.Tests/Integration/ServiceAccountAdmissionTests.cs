using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>The ServiceAccount admission plugin over HTTPS: the account must exist, and its automount setting counts.</summary>
public sealed class ServiceAccountAdmissionTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Admin => server.Client;

    private async Task CreateAccountAsync(string name, bool? automount)
    {
        var setting = automount is null ? "" : $$""","automountServiceAccountToken":{{(automount.Value ? "true" : "false")}}""";
        (await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts", Body(
            $$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"{{name}}"}{{setting}}}""")))
            .StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private Task<HttpResponseMessage> CreatePodAsync(string name, string account, string podAutomount = "") =>
        Admin.PostAsync("/api/v1/namespaces/default/pods", Body(
            $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{"serviceAccountName":"{{{account}}}"{{{podAutomount}}},"containers":[{"name":"c","image":"busybox"}]}}"""));

    private static bool HasApiAccessVolume(JsonObject pod) =>
        (pod["spec"]!["volumes"] as JsonArray ?? []).Any(v => ((string?)v!["name"])!.StartsWith("kube-api-access-", StringComparison.Ordinal));

    [Fact]
    public async Task A_pod_naming_a_missing_service_account_is_forbidden()
    {
        var response = await CreatePodAsync("orphan", "nobody");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var status = await response.ReadObjectAsync();
        ((string?)status["message"]).Should().Be("pods \"orphan\" is forbidden: error looking up service account default/nobody: serviceaccount \"nobody\" not found");
        ((string?)status["reason"]).Should().Be("Forbidden");
        (await Admin.GetAsync("/api/v1/namespaces/default/pods/orphan")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("mounted", null, "", true)]
    [InlineData("opted-out", false, "", false)]
    [InlineData("pod-wins", false, ",\"automountServiceAccountToken\":true", true)]
    [InlineData("pod-declines", true, ",\"automountServiceAccountToken\":false", false)]
    public async Task The_token_volume_follows_the_pod_setting_then_the_account_setting(string name, bool? accountAutomount, string podAutomount, bool mounted)
    {
        await CreateAccountAsync(name, accountAutomount);

        var response = await CreatePodAsync(name, name, podAutomount);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var pod = await response.ReadObjectAsync();
        HasApiAccessVolume(pod).Should().Be(mounted);
        (pod["spec"]!["containers"]![0]!["volumeMounts"] is JsonArray { Count: > 0 }).Should().Be(mounted);
    }

    [Fact]
    public async Task The_service_account_of_a_pod_cannot_change()
    {
        await CreateAccountAsync("first", null);
        (await CreatePodAsync("fixed", "first")).StatusCode.Should().Be(HttpStatusCode.Created);

        var response = await Admin.PatchAsync("/api/v1/namespaces/default/pods/fixed",
            Body("""{"spec":{"serviceAccountName":"default","serviceAccount":"default"}}""", "application/merge-patch+json"));

        response.StatusCode.Should().Be((HttpStatusCode)422);
        ((string?)(await response.ReadObjectAsync())["message"]).Should().Contain("spec: Forbidden: pod updates may not change fields other than");
    }
}
