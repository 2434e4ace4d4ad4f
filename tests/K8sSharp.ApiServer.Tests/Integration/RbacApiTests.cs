using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>RBAC over HTTPS: a service account is denied until a RoleBinding grants it a bootstrap role.</summary>
public sealed class RbacApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Admin => server.Client;

    private async Task<HttpClient> ServiceAccountClientAsync(string name)
    {
        (await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts", Body($$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"{{{name}}}"}}""")))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var request = await Admin.PostAsync($"/api/v1/namespaces/default/serviceaccounts/{name}/token",
            Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"""));
        var token = (await request.ReadObjectAsync())["status"]!["token"]!.GetValue<string>();
        var client = server.CreateClient(withCertificate: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<bool> CanAsync(HttpClient client, string verb, string resource)
    {
        var review = """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"default","verb":"VERB","resource":"RESOURCE"}}}"""
            .Replace("VERB", verb, StringComparison.Ordinal).Replace("RESOURCE", resource, StringComparison.Ordinal);
        var response = await client.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Body(review));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.ReadObjectAsync())["status"]!["allowed"]!.GetValue<bool>();
    }

    [Fact]
    public async Task A_service_account_may_do_nothing_until_bound_and_then_what_its_role_allows()
    {
        using var robot = await ServiceAccountClientAsync("viewer");

        var denied = await robot.GetAsync("/api/v1/namespaces/default/pods");
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await denied.ReadObjectAsync())["message"]!.GetValue<string>().Should().StartWith(
            "pods is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
        (await robot.GetAsync("/api/v1")).StatusCode.Should().Be(HttpStatusCode.OK, "system:discovery is bound to every authenticated user");
        (await CanAsync(robot, "list", "pods")).Should().BeFalse();

        (await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Body("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"viewer-view"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"ServiceAccount","name":"viewer","namespace":"default"}]}
            """))).StatusCode.Should().Be(HttpStatusCode.Created);

        await Eventually.TrueAsync(async () => (await robot.GetAsync("/api/v1/namespaces/default/pods")).StatusCode == HttpStatusCode.OK,
            "the binding to the aggregated view role takes effect");
        (await CanAsync(robot, "list", "pods")).Should().BeTrue();
        (await CanAsync(robot, "delete", "pods")).Should().BeFalse("view is read-only");
        (await robot.GetAsync("/api/v1/namespaces/default/secrets")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "view does not read secrets");
        (await robot.GetAsync("/api/v1/namespaces/kube-system/pods")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a RoleBinding is namespaced");
    }

    [Fact]
    public async Task The_bootstrap_roles_exist_and_the_admin_may_do_everything()
    {
        var admin = await (await Admin.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin")).ReadObjectAsync();
        admin["metadata"]!["labels"]!["kubernetes.io/bootstrapping"]!.GetValue<string>().Should().Be("rbac-defaults");
        (await Admin.GetAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await CanAsync(Admin, "delete", "nodes")).Should().BeTrue();
    }

    [Theory]
    [InlineData("view")]
    [InlineData("edit")]
    [InlineData("admin")]
    public async Task The_user_facing_roles_read_resource_metrics_through_the_aggregated_metrics_reader(string role)
    {
        var user = "metrics-" + role;
        (await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Body($$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{{user}}}"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{{role}}}"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"{{{user}}}"}]}
            """))).StatusCode.Should().Be(HttpStatusCode.Created);

        await Eventually.TrueAsync(() => UserMayAsync(user, "list", "metrics.k8s.io", "pods"), $"{role} aggregates system:aggregated-metrics-reader");
        (await UserMayAsync(user, "get", "metrics.k8s.io", "nodes")).Should().BeTrue();
        (await UserMayAsync(user, "create", "metrics.k8s.io", "pods")).Should().BeFalse("the reader only reads");
    }

    private async Task<bool> UserMayAsync(string user, string verb, string group, string resource)
    {
        var review = $$$"""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"{{{user}}}","groups":["system:authenticated"],
             "resourceAttributes":{"verb":"{{{verb}}}","group":"{{{group}}}","resource":"{{{resource}}}","namespace":"default"}}
            }
            """;
        var response = await Admin.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Body(review));
        return (await response.ReadObjectAsync())["status"]!["allowed"]!.GetValue<bool>();
    }

    [Fact]
    public async Task A_subject_access_review_answers_for_the_user_in_its_spec()
    {
        var review = """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"mallory","groups":["system:authenticated"],"resourceAttributes":{"verb":"get","resource":"secrets","namespace":"default"}}}""";
        var response = await Admin.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Body(review));

        (await response.ReadObjectAsync())["status"]!["allowed"]!.GetValue<bool>().Should().BeFalse();
    }
}
