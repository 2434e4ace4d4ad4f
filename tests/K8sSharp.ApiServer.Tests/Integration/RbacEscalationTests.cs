using System.Net;
using System.Net.Http.Headers;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>
/// RBAC escalation prevention over HTTPS: a service account that may write roles and bindings can grant only what it
/// holds, until it is given the <c>escalate</c> or <c>bind</c> verb.
/// </summary>
public sealed class RbacEscalationTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Rbac = "/apis/rbac.authorization.k8s.io/v1";
    private const string Groups = "[\"system:serviceaccounts\" \"system:serviceaccounts:default\" \"system:authenticated\"]";

    private HttpClient Admin => server.Client;

    private async Task<HttpClient> ManagerAsync(string name, string extraRules = "")
    {
        (await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts", Body($$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"{{{name}}}"}}""")))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        await CreateAsync(Admin, "roles", $$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"{{{name}}}"},"rules":[
             {"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],"verbs":["create","update","get"]},
             {"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}{{{extraRules}}}]}
            """);
        await CreateAsync(Admin, "rolebindings", $$$"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{{name}}}"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"{{{name}}}"},
             "subjects":[{"kind":"ServiceAccount","name":"{{{name}}}","namespace":"default"}]}
            """);
        var request = await Admin.PostAsync($"/api/v1/namespaces/default/serviceaccounts/{name}/token", Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"""));
        var client = server.CreateClient(withCertificate: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await request.ReadObjectAsync())["status"]!["token"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await client.GetAsync("/api/v1/namespaces/default/pods")).StatusCode == HttpStatusCode.OK, "the binding takes effect");
        return client;
    }

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient client, string resource, string json, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsync($"{Rbac}/namespaces/default/{resource}", Body(json));
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return response;
    }

    private static string Role(string name, string rules) =>
        $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"{{name}}"},"rules":[{{rules}}]}""";

    private static string Binding(string name, string kind, string role) =>
        $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{name}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{kind}}","name":"{{role}}"},"subjects":[{"kind":"User","name":"bob"}]}""";

    [Fact]
    public async Task A_role_may_grant_only_what_its_author_holds()
    {
        using var manager = await ManagerAsync("role-writer");

        await CreateAsync(manager, "roles", Role("pod-reader", """{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}"""));
        var denied = await CreateAsync(manager, "roles", Role("secret-reader", """{"apiGroups":[""],"resources":["secrets","pods"],"verbs":["get","list","watch"]}"""), HttpStatusCode.Forbidden);

        ((string?)(await denied.ReadObjectAsync())["message"]).Should().Be(
            "roles.rbac.authorization.k8s.io \"secret-reader\" is forbidden: user \"system:serviceaccount:default:role-writer\" (groups=" + Groups + ") "
            + "is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"watch\"]}\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\" \"watch\"]}");
        var update = await manager.PutAsync($"{Rbac}/namespaces/default/roles/pod-reader",
            Body(Role("pod-reader", """{"apiGroups":[""],"resources":["pods"],"verbs":["delete"]}""")));
        update.StatusCode.Should().Be(HttpStatusCode.Forbidden, "an update is checked like a create");
    }

    [Fact]
    public async Task The_escalate_verb_lifts_the_check_for_roles()
    {
        using var manager = await ManagerAsync("escalator", """,{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"verbs":["escalate"]}""");

        await CreateAsync(manager, "roles", Role("anything", """{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}"""));
    }

    [Fact]
    public async Task A_binding_needs_the_role_permissions_or_the_bind_verb()
    {
        using var manager = await ManagerAsync("binder");
        await CreateAsync(Admin, "roles", Role("pods-only", """{"apiGroups":[""],"resources":["pods"],"verbs":["list"]}"""));

        await CreateAsync(manager, "rolebindings", Binding("bob-pods", "Role", "pods-only"));
        var denied = await CreateAsync(manager, "rolebindings", Binding("bob-edit", "ClusterRole", "edit"), HttpStatusCode.Forbidden);
        ((string?)(await denied.ReadObjectAsync())["message"]).Should().StartWith(
            "rolebindings.rbac.authorization.k8s.io \"bob-edit\" is forbidden: user \"system:serviceaccount:default:binder\" (groups=" + Groups + ") is attempting to grant RBAC permissions not currently held:\n{APIGroups:");
        await CreateAsync(manager, "rolebindings", Binding("bob-nothing", "Role", "no-such-role"), HttpStatusCode.NotFound);

        await CreateAsync(Admin, "roles", Role("bind-edit", """{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["bind"],"resourceNames":["edit"]}"""));
        await CreateAsync(Admin, "rolebindings", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"binder-bind-edit"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"bind-edit"},"subjects":[{"kind":"ServiceAccount","name":"binder","namespace":"default"}]}
            """);
        await Eventually.TrueAsync(async () => (await manager.PostAsync($"{Rbac}/namespaces/default/rolebindings", Body(Binding("bob-edit", "ClusterRole", "edit")))).StatusCode == HttpStatusCode.Created,
            "bind on the edit ClusterRole allows binding it");
    }
}
