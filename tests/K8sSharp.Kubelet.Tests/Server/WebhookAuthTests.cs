using k8s;
using k8s.Models;
using K8sSharp.Kubelet.Server.Auth;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>The kubelet's webhook authentication and authorization against our real API server (its RBAC).</summary>
public sealed class WebhookAuthTests : IAsyncLifetime
{
    private readonly ApiServerHarness api = new();

    public Task InitializeAsync() => api.InitializeAsync();

    public Task DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task A_service_account_token_authenticates_and_is_allowed_only_what_rbac_grants_on_the_node()
    {
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "monitoring" } });
        await api.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "prometheus" } }, "monitoring");
        var token = (await api.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new() }, "prometheus", "monitoring")).Status.Token;

        var user = await new WebhookAuth(api.Client, "node-a", TimeProvider.System).AuthenticateTokenAsync(token, CancellationToken.None);
        (await new WebhookAuth(api.Client, "node-a", TimeProvider.System).AuthenticateTokenAsync("not-a-token", CancellationToken.None)).Should().BeNull();

        user!.Name.Should().Be("system:serviceaccount:monitoring:prometheus");
        user.Groups.Should().Contain("system:serviceaccounts:monitoring");
        (await new WebhookAuth(api.Client, "node-a", TimeProvider.System).AuthorizeAsync(user, "get", "metrics", CancellationToken.None))
            .Should().BeFalse("nothing grants it nodes/metrics yet");

        await api.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new() { Name = "node-metrics" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["nodes/metrics"], Verbs = ["get"] }],
        });
        await api.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new() { Name = "prometheus-node-metrics" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "node-metrics" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "prometheus", NamespaceProperty = "monitoring" }],
        });

        await Eventually.TrueAsync(
            () => new WebhookAuth(api.Client, "node-a", TimeProvider.System).AuthorizeAsync(user, "get", "metrics", CancellationToken.None).GetAwaiter().GetResult(),
            "the binding reached the authorizer's cache");
        (await new WebhookAuth(api.Client, "node-a", TimeProvider.System).AuthorizeAsync(user, "create", "proxy", CancellationToken.None))
            .Should().BeFalse("the role grants nodes/metrics only");
    }
}
