using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using K8sSharp.Api.Protobuf;

namespace K8sSharp.Api.Tests.Protobuf;

public class KubeProtobufTests
{
    // Wire bytes below are written by hand (field numbers from the k8s.io generated.proto files), the way Go's
    // generated marshalers write them: every non-pointer field present, zero values included.
    private static readonly byte[] ZeroTime = Msg((1, 0L), (2, 0));
    private static readonly byte[] AppX = Msg((1, "app"), (2, "x"));

    [Fact]
    public void Decodes_kubectl_create_deployment_with_go_zero_values_dropped()
    {
        var container = Msg((1, "busybox"), (2, "busybox"), (5, ""), (8, Msg()), (13, ""), (14, ""),
            (16, false), (17, false), (18, false), (20, ""));
        var podSpec = Msg((2, container), (3, ""), (6, ""), (8, ""), (11, false), (19, ""));
        var raw = Msg(
            (1, Msg((1, "x"), (2, ""), (3, ""), (4, ""), (5, ""), (6, ""), (7, 0L), (8, ZeroTime), (11, AppX))),
            (2, Msg((1, 1), (2, Msg((1, AppX))),
                (3, Msg((1, Msg((7, 0L), (8, ZeroTime), (11, AppX))), (2, podSpec))),
                (4, Msg((1, ""))), (5, 0), (7, false))),
            (3, Msg((1, 0L), (2, 0), (3, 0), (4, 0), (5, 0), (8, 0))));

        var json = KubeProtobuf.Decode(Body("apps/v1", "Deployment", raw));

        // Empty messages stay (as in Go's JSON: "resources":{}, "strategy":{}); fields in declaration order.
        json.ToJsonString().Should().Be("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x","labels":{"app":"x"}},
            "spec":{"replicas":1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},
            "spec":{"containers":[{"name":"busybox","image":"busybox","resources":{}}]}},"strategy":{}},"status":{}}
            """.ReplaceLineEndings(""));
    }

    [Fact]
    public void Decodes_secret_data_map_as_base64_and_missing_map_value_as_empty()
    {
        var raw = Msg((1, Msg((1, "s"), (3, "default"), (8, ZeroTime))), (5, false),
            (2, Msg((1, "password"), (2, new byte[] { 0x00, 0xff, (byte)'a' }))),
            (2, Msg((1, "empty"))),
            (4, Msg((1, "note"), (2, ""))),
            (3, "Opaque"));

        var json = KubeProtobuf.Decode(Body("v1", "Secret", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},
             "data":{"password":"AP9h","empty":""},"stringData":{"note":""},"type":"Opaque"}
            """);
    }

    [Theory]
    [InlineData(0, 8080, "", "8080")]
    [InlineData(1, 0, "http", "\"http\"")]
    [InlineData(0, 0, "", null)] // zero IntOrString outside a list: dropped like other zero values
    public void Decodes_service_targetPort_IntOrString(long type, int intVal, string strVal, string? expected)
    {
        var port = Msg((1, "web"), (2, "TCP"), (3, 80), (4, Msg((1, type), (2, intVal), (3, strVal))));
        var raw = Msg((1, Msg((1, "svc"))), (2, Msg((1, port), (4, "ClusterIP"))), (3, Msg()));

        var json = KubeProtobuf.Decode(Body("v1", "Service", raw));

        var expectedPort = expected is null
            ? """{"name":"web","protocol":"TCP","port":80}"""
            : """{"name":"web","protocol":"TCP","port":80,"targetPort":""" + expected + "}";
        ShouldEqualJson(json, $$$"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},
             "spec":{"ports":[{{{expectedPort}}}],"type":"ClusterIP"},"status":{}}
            """);
    }

    [Fact]
    public void Decodes_pod_time_with_second_precision_and_quantities_as_strings()
    {
        var resources = Msg((1, Msg((1, "cpu"), (2, Msg((1, "500m"))))), (2, Msg((1, "memory"), (2, Msg((1, "64Mi"))))));
        var raw = Msg((1, Msg((1, "p"), (8, Msg((1, 1767323045L), (2, 123456789))))),
            (2, Msg((2, Msg((1, "c"), (2, "busybox"), (8, resources))))));

        var json = KubeProtobuf.Decode(Body("v1", "Pod", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2026-01-02T03:04:05Z"},
             "spec":{"containers":[{"name":"c","image":"busybox",
               "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}}}]}}
            """);
    }

    [Fact]
    public void Decodes_inline_structs_into_their_parent_as_go_json_does()
    {
        var configMapRef = Msg((1, Msg((1, "cfg"))));
        var scratch = Msg((1, "scratch"), (2, Msg((2, Msg()))));
        var config = Msg((1, "config"), (2, Msg((19, Concat(configMapRef, Msg((3, 420)))))));
        var httpGet = Msg((1, "/healthz"), (2, Msg((1, 1L), (3, "http"))));
        var probe = Msg((1, Msg((2, httpGet))), (4, 5));
        var container = Msg((1, "c"), (19, Msg((2, configMapRef))), (10, probe));
        var raw = Msg((2, Msg((1, scratch), (1, config), (2, container))));

        var json = KubeProtobuf.Decode(Body("v1", "Pod", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"v1","kind":"Pod","spec":{
              "volumes":[{"name":"scratch","emptyDir":{}},{"name":"config","configMap":{"name":"cfg","defaultMode":420}}],
              "containers":[{"name":"c","envFrom":[{"configMapRef":{"name":"cfg"}}],
                "livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5}}]}}
            """);
    }

    [Fact]
    public void Decodes_fields_whose_json_name_differs_from_the_proto_name()
    {
        var rule = Msg((1, "CREATE"), (2, Msg((1, ""), (2, "v1"), (3, "pods"), (4, "*"))));
        var raw = Msg((1, Msg((1, "hooks"))), (2, Msg((1, "w"), (3, rule))));

        var json = KubeProtobuf.Decode(Body("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"hooks"},
             "webhooks":[{"name":"w","rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"],"scope":"*"}]}]}
            """);
    }

    [Fact]
    public void Decodes_event_MicroTime_with_six_fractional_digits()
    {
        var raw = Msg((1, Msg((1, "e"))), (2, Msg((1, 1767323045L), (2, 123456789))), (7, "Started"), (13, ZeroTime));

        var json = KubeProtobuf.Decode(Body("events.k8s.io/v1", "Event", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e"},
             "eventTime":"2026-01-02T03:04:05.123456Z","reason":"Started"}
            """);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("meta.k8s.io/v1")]
    [InlineData("apps/v1")]
    [InlineData("example.com/v1")]
    public void Decodes_DeleteOptions_under_any_apiVersion_from_meta_v1(string apiVersion)
    {
        var raw = Msg((4, "Foreground"), (5, "All"), (3, false));

        var json = KubeProtobuf.Decode(Body(apiVersion, "DeleteOptions", raw));

        ShouldEqualJson(json, $$"""
            {"apiVersion":"{{apiVersion}}","kind":"DeleteOptions","propagationPolicy":"Foreground","dryRun":["All"]}
            """);
    }

    [Fact]
    public void Decodes_SelfSubjectAccessReview()
    {
        var attributes = Msg((1, "default"), (2, "create"), (3, ""), (4, ""), (5, "pods"), (6, ""), (7, ""));
        var raw = Msg((1, Msg((8, ZeroTime))), (2, Msg((1, attributes))),
            (3, Msg((1, false), (4, false), (2, ""), (3, ""))));

        var json = KubeProtobuf.Decode(Body("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},"status":{}}
            """);
    }

    [Fact]
    public void Decodes_ExtraValue_map_values_as_string_arrays()
    {
        var spec = Msg((3, "alice"), (4, "system:authenticated"), (5, Msg((1, "scopes"), (2, Msg((1, "a"), (1, "b"))))));

        var json = KubeProtobuf.Decode(Body("authorization.k8s.io/v1", "SubjectAccessReview", Msg((2, spec))));

        json["spec"]!.ToJsonString().Should()
            .Be("""{"user":"alice","groups":["system:authenticated"],"extra":{"scopes":["a","b"]}}""");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decodes_repeated_scalars_packed_or_not_keeping_zero_elements(bool packed)
    {
        var values = packed ? Msg((3, new byte[] { 0x00, 0x2A })) : Msg((3, 0), (3, 42));
        var rule = Msg((1, "FailJob"), (2, Concat(Msg((1, ""), (2, "In")), values)));

        var json = KubeProtobuf.Decode(Body("batch/v1", "Job", Msg((2, Msg((11, Msg((1, rule))))))));

        json["spec"]!.ToJsonString().Should()
            .Be("""{"podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"operator":"In","values":[0,42]}}]}}""");
    }

    [Fact]
    public void Decodes_RawExtension_holding_json()
    {
        var raw = Msg((1, Msg((1, "rev"))), (2, Msg((1, Encoding.UTF8.GetBytes("""{"spec":{"replicas":2}}""")))), (3, 4L));

        var json = KubeProtobuf.Decode(Body("apps/v1", "ControllerRevision", raw));

        ShouldEqualJson(json, """
            {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"rev"},
             "data":{"spec":{"replicas":2}},"revision":4}
            """);
    }

    [Fact]
    public void Decodes_RawExtension_holding_a_nested_protobuf_object()
    {
        var inner = Body("v1", "ConfigMap", Msg((1, Msg((1, "cm"))), (2, Msg((1, "k"), (2, "v")))));

        var json = KubeProtobuf.Decode(Body("apps/v1", "ControllerRevision", Msg((2, Msg((1, inner))))));

        ShouldEqualJson(json["data"]!, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"k":"v"}}""");
    }

    public static TheoryData<byte[], string> MalformedBodies => new()
    {
        { [], "magic" },
        { "{\"kind\":\"Pod\"}"u8.ToArray(), "magic" },
        { [.. "k8s\0"u8, 0x0A, 0x80], "malformed" }, // length varint cut off
        { [.. "k8s\0"u8, 0x12, 0x0A, 0x01, 0x02], "malformed" }, // raw claims 10 bytes, has 2
        { [.. "k8s\0"u8, 0x0A, 0x02, 0x0A], "malformed" }, // typeMeta's apiVersion cut off
        { Body("apps/v1", "Foo", []), "no protobuf type for apps/v1 Foo" },
        { Body("example.com/v1", "Widget", []), "no protobuf type for example.com/v1 Widget" },
        { Body("", "", []), "no protobuf type for  " },
        { Body("v1", "Secret", Msg((1, 5))), "wire type" }, // metadata sent as a varint
        { Concat(Body("v1", "Secret", []), Msg((3, "gzip"))), "contentEncoding" },
        { Body("apps/v1", "ControllerRevision", Msg((2, Msg((1, "{not json"u8.ToArray()))))), "malformed" },
        { Body("v1", "Pod", Msg((1, Msg((8, Msg((1, long.MaxValue))))))), "malformed" }, // time out of range
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void Malformed_bodies_throw_ProtobufDecodeException(byte[] body, string messagePart)
    {
        var decode = () => KubeProtobuf.Decode(body);

        decode.Should().Throw<ProtobufDecodeException>().Which.Message.Should().Contain(messagePart);
    }

    [Fact]
    public void Truncated_or_corrupted_bodies_never_throw_anything_but_ProtobufDecodeException()
    {
        var body = KubeProtobuf.Encode(JsonNode.Parse(PodJson)!.AsObject());
        var random = new Random(1234);
        var failures = 0;
        for (var i = 0; i < 3000; i++)
        {
            var mutated = i < body.Length ? body[..i] : (byte[])body.Clone();
            if (i >= body.Length)
                mutated[random.Next(4, mutated.Length)] = (byte)random.Next(256);
            try
            {
                KubeProtobuf.Decode(mutated);
            }
            catch (ProtobufDecodeException)
            {
                failures++;
            }
        }
        failures.Should().BeGreaterThan(body.Length / 2, "most truncations and corruptions are detectable");
    }

    private const string PodJson = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"p","namespace":"ns","labels":{"app":"x","empty":""},
           "annotations":{"a":"b"},"creationTimestamp":"2026-01-02T03:04:05Z","generation":3},
         "spec":{"containers":[{"name":"c","image":"busybox","command":["sh","-c","sleep 1"],
             "ports":[{"containerPort":8080,"protocol":"TCP"}],
             "resources":{"limits":{"cpu":"500m"}},
             "livenessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":5},
             "readinessProbe":{"tcpSocket":{"port":8080}}}],
           "volumes":[{"name":"scratch","emptyDir":{}}]}}
        """;

    [Theory]
    [InlineData(PodJson)]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"AP9h"},"type":"Opaque"}""")]
    [InlineData("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]}""")]
    [InlineData("""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"holderIdentity":"me","renewTime":"2026-01-02T03:04:05.123456Z","leaseDurationSeconds":15}}""")]
    [InlineData("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p","namespace":"ns"},"deleteOptions":{"gracePeriodSeconds":30}}""")]
    [InlineData("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["api"],"expirationSeconds":3600}}""")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":1}}}}""")]
    [InlineData("""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"m"},"webhooks":[{"name":"w","clientConfig":{"caBundle":"AP9h","service":{"name":"s","namespace":"ns","port":443}},"rules":[{"operations":["*"],"apiGroups":["apps"],"apiVersions":["v1"],"resources":["deployments"],"scope":"Namespaced"}],"sideEffects":"None","admissionReviewVersions":["v1"]}]}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[{"manager":"kubectl","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}},"time":"2026-01-02T03:04:05Z"}]},"data":{"k":"v"},"binaryData":{"b":"AP9h"}}""")]
    [InlineData("""{"apiVersion":"flowcontrol.apiserver.k8s.io/v1","kind":"FlowSchema","metadata":{"name":"f"},"spec":{"matchingPrecedence":500,"priorityLevelConfiguration":{"name":"global-default"}}}""")]
    public void Encode_then_Decode_round_trips_zero_free_json(string text)
    {
        var original = JsonNode.Parse(text)!.AsObject();

        var body = KubeProtobuf.Encode(original);

        body.AsSpan(0, 4).ToArray().Should().Equal("k8s\0"u8.ToArray());
        ShouldEqualJson(KubeProtobuf.Decode(body), text);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(2_000_000L, "2ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(60_000_000_000L, "1m0s")]
    [InlineData(3_723_500_000_000L, "1h2m3.5s")]
    [InlineData(-90_000_000_000L, "-1m30s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Formats_durations_like_go(long nanoseconds, string expected) =>
        K8sSharp.Api.Printing.GoDurationText.Format(nanoseconds).Should().Be(expected);

    private static void ShouldEqualJson(JsonNode actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).Should()
            .BeTrue($"{actual.ToJsonString()} should equal {JsonNode.Parse(expected)!.ToJsonString()}");

    private static byte[] Body(string apiVersion, string kind, byte[] raw) =>
        [.. "k8s\0"u8, .. Msg((1, Msg((1, apiVersion), (2, kind))), (2, raw), (3, ""), (4, KubeProtobuf.MediaType))];

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    /// <summary>Hand-encodes one message: string and byte[] values are length-delimited, bool/int/long varints.</summary>
    private static byte[] Msg(params (int Field, object Value)[] fields)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            foreach (var (field, value) in fields)
            {
                var wireType = value is string or byte[] ? WireFormat.WireType.LengthDelimited : WireFormat.WireType.Varint;
                output.WriteTag(field, wireType);
                switch (value)
                {
                    case string s: output.WriteString(s); break;
                    case byte[] b: output.WriteBytes(ByteString.CopyFrom(b)); break;
                    case bool b: output.WriteBool(b); break;
                    case int i: output.WriteInt32(i); break;
                    case long l: output.WriteInt64(l); break;
                    default: throw new ArgumentException($"cannot encode {value.GetType()}");
                }
            }
        }
        return stream.ToArray();
    }
}
