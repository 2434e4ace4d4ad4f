using System.Text.Json.Nodes;
using K8sSharp.Api.Protobuf;

namespace K8sSharp.Api.Tests.Protobuf;

/// <summary>JSON -> protobuf (as the API server answers protobuf clients) -> JSON (as it decodes protobuf
/// requests) gives back the same object, for stored objects of several kinds, explicit pointer zeros included.</summary>
public sealed class KubeProtobufRoundTripTests
{
    public static TheoryData<string> Objects => new()
    {
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"0b7c","resourceVersion":"12","generation":2,"creationTimestamp":"2026-11-28T07:00:00Z","labels":{"app":"web"},"annotations":{"a":"b"}},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],"ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{"limits":{"cpu":"100m"}},"securityContext":{"runAsUser":0,"privileged":false}}],"terminationGracePeriodSeconds":0,"automountServiceAccountToken":false}},
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":1}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600},
         "status":{"observedGeneration":2,"conditions":[{"type":"Available","status":"True","lastUpdateTime":"2026-11-28T07:00:01Z","lastTransitionTime":"2026-11-28T07:00:01Z","reason":"MinimumReplicasAvailable","message":"ok"}]}}
        """,
        """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes","namespace":"default"},
         "spec":{"ports":[{"name":"https","protocol":"TCP","port":443,"targetPort":6443}],"clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],"type":"ClusterIP","sessionAffinity":"None","ipFamilies":["IPv4"]},"status":{"loadBalancer":{}}}
        """,
        """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"sh.helm.release.v1.demo.v1","namespace":"default","labels":{"owner":"helm"}},"type":"helm.sh/release.v1","data":{"release":"SDRzSQ=="}}
        """,
        """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"default"},
         "spec":{"parallelism":1,"completions":1,"backoffLimit":0,"suspend":false,"template":{"metadata":{},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}],"restartPolicy":"Never"}}}}
        """,
        """
        {"apiVersion":"v1","kind":"Status","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}
        """,
        """
        {"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"42"},"items":[{"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]},"status":{"phase":"Pending"}}]}
        """,
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Json_to_protobuf_to_json_gives_the_same_object(string json)
    {
        var original = JsonNode.Parse(json)!.AsObject();

        var decoded = KubeProtobuf.Decode(KubeProtobuf.Encode(original));

        JsonNode.DeepEquals(Normalize(decoded), Normalize(original)).Should().BeTrue(decoded.ToJsonString());
    }

    [Fact]
    public void DeleteOptions_gracePeriodSeconds_zero_stays_present()
    {
        var options = JsonNode.Parse("""{"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0}""")!.AsObject();

        var decoded = KubeProtobuf.Decode(KubeProtobuf.Encode(options));

        decoded["gracePeriodSeconds"]!.GetValue<long>().Should().Be(0);
    }

    /// <summary>Objects compared with properties sorted, since protobuf gives declaration order.</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        _ => node?.DeepClone(),
    };
}
