using System.Net;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Resources served by several versions or groups share one storage, converted on the way in and out.</summary>
public sealed class StorageVersionTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task CoreEventsAreReadableAsEventsK8sIoEventsAndBack()
    {
        var core = """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},
             "reason":"Started","message":"Started container","type":"Normal","count":2,"source":{"component":"kubelet"}}
            """;
        (await Client.PostAsync("/api/v1/namespaces/default/events", Body(core))).StatusCode.Should().Be(HttpStatusCode.Created);
        var asNew = await (await Client.GetAsync("/apis/events.k8s.io/v1/namespaces/default/events/e1")).ReadObjectAsync();
        asNew["apiVersion"]!.GetValue<string>().Should().Be("events.k8s.io/v1");
        asNew["note"]!.GetValue<string>().Should().Be("Started container");
        asNew["regarding"]!["name"]!.GetValue<string>().Should().Be("p");
        asNew["deprecatedCount"]!.GetValue<int>().Should().Be(2);

        var fresh = """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e2"},"eventTime":"2026-11-28T00:00:00.000000Z",
             "reportingController":"k8ssharp-scheduler","reportingInstance":"s-1","action":"Binding","reason":"Scheduled",
             "regarding":{"kind":"Pod","name":"q","namespace":"default"},"note":"Successfully assigned","type":"Normal"}
            """;
        (await Client.PostAsync("/apis/events.k8s.io/v1/namespaces/default/events", Body(fresh))).StatusCode.Should().Be(HttpStatusCode.Created);
        var asCore = await (await Client.GetAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dq")).ReadObjectAsync();
        var item = asCore["items"]!.AsArray().Should().ContainSingle().Subject!;
        item["message"]!.GetValue<string>().Should().Be("Successfully assigned");
        item["reportingComponent"]!.GetValue<string>().Should().Be("k8ssharp-scheduler");
    }

    [Fact]
    public async Task AutoscalingV2ObjectsAreServedAsV1WithTheCpuTarget()
    {
        var v2 = """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,
                     "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]}}
            """;
        (await Client.PostAsync("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", Body(v2))).StatusCode.Should().Be(HttpStatusCode.Created);
        var v1 = await (await Client.GetAsync("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h")).ReadObjectAsync();
        v1["apiVersion"]!.GetValue<string>().Should().Be("autoscaling/v1");
        v1["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>().Should().Be(60);
        v1["spec"]!["maxReplicas"]!.GetValue<int>().Should().Be(5);

        var update = v1.DeepClone().AsObject();
        update["spec"]!["targetCPUUtilizationPercentage"] = 75;
        (await Client.PutAsync("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h", Body(update.ToJsonString()))).StatusCode.Should().Be(HttpStatusCode.OK);
        var back = await (await Client.GetAsync("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h")).ReadObjectAsync();
        back["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!.GetValue<int>().Should().Be(75);
    }
}
