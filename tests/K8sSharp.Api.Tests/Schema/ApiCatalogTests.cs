using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Schema;

public class ApiCatalogTests
{
    private static readonly ApiCatalog Catalog = ApiCatalog.BuiltIn;

    [Theory]
    [InlineData("", "v1", "pods", "Pod", true)]
    [InlineData("", "v1", "namespaces", "Namespace", false)]
    [InlineData("", "v1", "nodes", "Node", false)]
    [InlineData("apps", "v1", "deployments", "Deployment", true)]
    [InlineData("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false)]
    [InlineData("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)]
    [InlineData("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true)]
    public void ResourcesComeFromTheOpenApiPaths(string group, string version, string name, string kind, bool namespaced)
    {
        var resource = Catalog.Find(group, version, name);
        resource.Should().NotBeNull();
        resource!.Kind.Should().Be(kind);
        resource.Namespaced.Should().Be(namespaced);
    }

    [Fact]
    public void VerbsAndSubresourcesMatchKubeApiserverDiscovery()
    {
        var deployments = Catalog.Find("apps", "v1", "deployments")!;
        deployments.Verbs.Should().Equal("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
        deployments.Subresource("scale")!.Kind.Should().Be(new GroupVersionKind("autoscaling", "v1", "Scale"));
        deployments.Subresource("status")!.Verbs.Should().Equal("get", "patch", "update");
        deployments.ShortNames.Should().Equal("deploy");
        deployments.Categories.Should().Equal("all");
        Catalog.Find("", "v1", "pods")!.Subresources.Select(s => s.Name).Should().Contain(["log", "exec", "portforward", "binding", "eviction", "status"]);
    }

    [Fact]
    public void ReviewsAreCreateOnly()
    {
        Catalog.Find("authorization.k8s.io", "v1", "selfsubjectaccessreviews")!.Verbs.Should().Equal("create");
    }

    [Fact]
    public void GroupsAreOrderedWithThePreferredVersionFirst()
    {
        Catalog.Groups[0].Name.Should().BeEmpty();
        Catalog.Groups.Single(g => g.Name == "autoscaling").Versions.Should().Equal("v2", "v1");
        Catalog.Groups.Select(g => g.Name).Should().Contain(["apps", "batch", "networking.k8s.io", "coordination.k8s.io", "flowcontrol.apiserver.k8s.io"]);
    }
}
