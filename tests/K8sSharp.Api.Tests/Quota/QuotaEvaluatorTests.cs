using System.Text.Json.Nodes;
using K8sSharp.Api.Quota;

namespace K8sSharp.Api.Tests.Quota;

public sealed class QuotaEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Pod(string spec, string status = "{}") =>
        Parse("""{"metadata":{"name":"p","namespace":"ns"},"spec":""" + spec + ""","status":""" + status + "}");

    [Fact]
    public void PodChargesItsCountAndComputeResources()
    {
        var pod = Pod("""{"containers":[{"name":"a","resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"1"}}},"""
            + """{"name":"b","resources":{"requests":{"cpu":"250m","memory":"64Mi"}}}]}""");

        var usage = new PodQuotaEvaluator().Usage(pod, Now);

        usage.Pretty().Should().Be("count/pods=1,cpu=500m,limits.cpu=1,memory=128Mi,pods=1,requests.cpu=500m,requests.memory=128Mi");
    }

    [Fact]
    public void InitContainersAndSidecarsFollowUpstreamsPodRequestFormula()
    {
        // Steady state: main 100m + sidecar 200m = 300m. "init" runs alone (500m); "late" runs beside the sidecar
        // started before it (400m + 200m = 600m): the largest of these is the pod's request.
        var pod = Pod("""{"initContainers":[{"name":"init","resources":{"requests":{"cpu":"500m"}}},"""
            + """{"name":"side","restartPolicy":"Always","resources":{"requests":{"cpu":"200m"}}},"""
            + """{"name":"late","resources":{"requests":{"cpu":"400m"}}}],"containers":[{"name":"main","resources":{"requests":{"cpu":"100m"}}}]}""");

        PodResources.Requests(pod)["cpu"].ToString().Should().Be("600m");
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void TerminalPodsOnlyChargeTheirObjectCount(string phase)
    {
        var pod = Pod("""{"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}]}""", "{\"phase\":\"" + phase + "\"}");

        new PodQuotaEvaluator().Usage(pod, Now).Pretty().Should().Be("count/pods=1");
    }

    [Fact]
    public void APodPastItsDeletionGracePeriodIsNotCharged()
    {
        var pod = Parse("""{"metadata":{"name":"p","deletionTimestamp":"2026-01-01T11:59:00Z","deletionGracePeriodSeconds":30},"spec":{"containers":[{"name":"a"}]}}""");

        PodQuotaEvaluator.IsCharged(pod, Now).Should().BeFalse();
        PodQuotaEvaluator.IsCharged(pod, Now.AddSeconds(-45)).Should().BeTrue();
    }

    [Fact]
    public void AQuotaOnCpuOrMemoryRequiresEveryContainerToStateIt()
    {
        var pod = Pod("""{"containers":[{"name":"web","resources":{"requests":{"cpu":"1"}}},{"name":"log"}],"initContainers":[{"name":"setup"}]}""");

        var failure = new PodQuotaEvaluator().Constraints(["requests.cpu", "limits.memory", "pods", "requests.storage"], pod);

        failure.Should().Be("must specify limits.memory for: log,setup,web; requests.cpu for: log,setup");
    }

    [Theory]
    [InlineData("BestEffort", "Exists", true)]
    [InlineData("NotBestEffort", "Exists", false)]
    [InlineData("Terminating", "Exists", false)]
    [InlineData("NotTerminating", "Exists", true)]
    [InlineData("PriorityClass", "In", true)]
    [InlineData("PriorityClass", "NotIn", false)]
    public void PodScopes(string scope, string op, bool matches)
    {
        var pod = Pod("""{"priorityClassName":"high","containers":[{"name":"a"}]}""");

        new PodQuotaEvaluator().MatchesScope(new ScopeRequirement(scope, op, ["high"]), pod).Should().Be(matches);
    }

    [Theory]
    [InlineData("ClusterIP", null, "count/services=1,services=1")]
    [InlineData("NodePort", null, "count/services=1,services=1,services.nodeports=2")]
    [InlineData("LoadBalancer", null, "count/services=1,services=1,services.loadbalancers=1,services.nodeports=2")]
    [InlineData("LoadBalancer", false, "count/services=1,services=1,services.loadbalancers=1,services.nodeports=1")]
    public void ServicesChargeNodePortsAndLoadBalancers(string type, bool? allocate, string expected)
    {
        var service = Parse("""{"metadata":{"name":"s"},"spec":{"type":""" + $"\"{type}\"" + ""","ports":[{"port":80,"nodePort":30080},{"port":443}]}}""");
        if (allocate is { } value)
        {
            service["spec"]!["allocateLoadBalancerNodePorts"] = value;
        }

        new ServiceQuotaEvaluator().Usage(service, Now).Pretty().Should().Be(expected);
    }

    [Fact]
    public void ClaimsChargeStorageOverallAndPerClass()
    {
        var claim = Parse("""{"metadata":{"name":"c"},"spec":{"storageClassName":"fast","resources":{"requests":{"storage":"2Gi"}}}}""");

        new ClaimQuotaEvaluator().Usage(claim, Now).Pretty().Should().Be(
            "count/persistentvolumeclaims=1,fast.storageclass.storage.k8s.io/persistentvolumeclaims=1,"
            + "fast.storageclass.storage.k8s.io/requests.storage=2Gi,persistentvolumeclaims=1,requests.storage=2Gi");
    }

    [Theory]
    [InlineData("", "configmaps", "configmaps,count/configmaps")]
    [InlineData("apps", "deployments", "count/deployments.apps")]
    [InlineData("", "pods", "count/pods,pods,requests.cpu")]
    public void EvaluatorsMatchTheirQuotaNames(string group, string resource, string expected)
    {
        var hard = new[] { "configmaps", "count/configmaps", "count/deployments.apps", "count/pods", "pods", "requests.cpu", "requests.storage" };

        string.Join(",", QuotaEvaluators.For(group, resource)!.MatchingResources(hard).Order(StringComparer.Ordinal)).Should().Be(expected);
    }

    [Theory]
    [InlineData("count/deployments.apps", "apps", "deployments")]
    [InlineData("requests.memory", "", "pods")]
    [InlineData("services.nodeports", "", "services")]
    [InlineData("gold.storageclass.storage.k8s.io/requests.storage", "", "persistentvolumeclaims")]
    [InlineData("secrets", "", "secrets")]
    public void QuotaNamesLeadToTheResourceThatChargesThem(string name, string group, string resource) =>
        QuotaEvaluators.ResourceOf(name).Should().Be((group, resource));

    [Fact]
    public void EventsAreNeverCharged() => QuotaEvaluators.For("", "events").Should().BeNull();
}
