using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Security.Authorization;

namespace K8sSharp.ApiServer.Tests.Authorization;

public sealed class RbacPolicyTests
{
    private static readonly UserInfo Alice = new("alice", ["devs", "system:authenticated"]);
    private static readonly UserInfo Robot = new("system:serviceaccount:apps:robot", ["system:serviceaccounts", "system:authenticated"]);

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static AuthorizationAttributes Resource(string verb, string group, string resource, string ns = "", string name = "", string sub = "") =>
        new(verb, true, group, resource, sub, ns, name);

    [Theory]
    [InlineData("""{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}""", "get", "", "pods", "", "", true)]
    [InlineData("""{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}""", "list", "", "pods", "", "", false)]
    [InlineData("""{"verbs":["*"],"apiGroups":["apps"],"resources":["*"]}""", "delete", "apps", "deployments", "", "", true)]
    [InlineData("""{"verbs":["*"],"apiGroups":["apps"],"resources":["*"]}""", "delete", "", "pods", "", "", false)]
    [InlineData("""{"verbs":["create"],"apiGroups":[""],"resources":["pods/exec"]}""", "create", "", "pods", "exec", "", true)]
    [InlineData("""{"verbs":["create"],"apiGroups":[""],"resources":["pods"]}""", "create", "", "pods", "exec", "", false)]
    [InlineData("""{"verbs":["get"],"apiGroups":[""],"resources":["*/status"]}""", "get", "", "services", "status", "", true)]
    [InlineData("""{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["app"]}""", "get", "", "configmaps", "", "app", true)]
    [InlineData("""{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["app"]}""", "get", "", "configmaps", "", "other", false)]
    public void A_rule_allows_exactly_what_it_names(string rule, string verb, string group, string resource, string sub, string name, bool allowed) =>
        PolicyRule.From(JsonNode.Parse(rule)).Allows(Resource(verb, group, resource, "ns", name, sub)).Should().Be(allowed);

    [Theory]
    [InlineData("/api/*", "/api/v1", true)]
    [InlineData("/api/*", "/apis/apps", false)]
    [InlineData("/healthz", "/healthz", true)]
    [InlineData("*", "/anything", true)]
    public void Non_resource_urls_match_exactly_or_by_trailing_star(string url, string path, bool allowed) =>
        new PolicyRule(["get"], [], [], [], [url]).Allows(new AuthorizationAttributes("get", false, Path: path)).Should().Be(allowed);

    [Fact]
    public void Role_bindings_grant_only_in_their_namespace_and_cluster_role_bindings_everywhere()
    {
        var policy = new RbacPolicy(
            [Json("""{"metadata":{"name":"reader"},"rules":[{"verbs":["list"],"apiGroups":[""],"resources":["pods"]}]}""")],
            [Json("""{"metadata":{"name":"cm-writer","namespace":"apps"},"rules":[{"verbs":["create"],"apiGroups":[""],"resources":["configmaps"]}]}""")],
            [Json("""{"metadata":{"name":"devs-read"},"roleRef":{"kind":"ClusterRole","name":"reader"},"subjects":[{"kind":"Group","name":"devs"}]}""")],
            [Json("""{"metadata":{"name":"robot-writes","namespace":"apps"},"roleRef":{"kind":"Role","name":"cm-writer"},"subjects":[{"kind":"ServiceAccount","name":"robot"}]}""")]);

        Allows(policy, Alice, Resource("list", "", "pods", "anywhere")).Should().BeTrue();
        Allows(policy, Robot, Resource("list", "", "pods", "apps")).Should().BeFalse();
        Allows(policy, Robot, Resource("create", "", "configmaps", "apps")).Should().BeTrue();
        Allows(policy, Robot, Resource("create", "", "configmaps", "other")).Should().BeFalse();
    }

    private static bool Allows(RbacPolicy policy, UserInfo user, AuthorizationAttributes request) =>
        policy.RulesFor(user, request.Namespace).Any(r => r.Allows(request));

    [Theory]
    [InlineData("list", "", "pods", "", "apps", "", "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"apps\"")]
    [InlineData("get", "apps", "deployments", "", "apps", "web", "deployments \"web\" is forbidden: User \"alice\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"apps\"")]
    [InlineData("create", "", "pods", "exec", "apps", "p", "pods/exec \"p\" is forbidden: User \"alice\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"apps\"")]
    [InlineData("list", "", "nodes", "", "", "", "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope")]
    public void The_forbidden_message_reads_as_upstreams(string verb, string group, string resource, string sub, string ns, string name, string expected) =>
        Resource(verb, group, resource, ns, name, sub).ForbiddenMessage(Alice).Should().Be(expected);
}
