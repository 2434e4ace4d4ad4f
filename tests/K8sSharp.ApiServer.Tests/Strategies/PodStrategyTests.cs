using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

public class PodStrategyTests
{
    private static readonly K8sSharp.ApiServer.Registry.IResourceStrategy Strategy = For("", "v1", "pods");

    private const string BusyBox = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"p","image":"busybox"}]}}""";

    [Fact]
    public void Create_fills_the_defaults_a_real_cluster_shows()
    {
        var (pod, errors) = Create(Strategy, BusyBox);

        errors.Should().BeEmpty();
        var spec = pod["spec"]!;
        ((string?)spec["restartPolicy"]).Should().Be("Always");
        ((string?)spec["dnsPolicy"]).Should().Be("ClusterFirst");
        ((int?)spec["terminationGracePeriodSeconds"]).Should().Be(30);
        ((string?)spec["schedulerName"]).Should().Be("default-scheduler");
        spec["securityContext"]!.ToJsonString().Should().Be("{}");
        ((bool?)spec["enableServiceLinks"]).Should().BeTrue();
        ((string?)spec["serviceAccountName"]).Should().Be("default");
        ((string?)spec["serviceAccount"]).Should().Be("default");
        ((int?)spec["priority"]).Should().Be(0);
        ((string?)spec["preemptionPolicy"]).Should().Be("PreemptLowerPriority");
        var container = spec["containers"]![0]!;
        ((string?)container["imagePullPolicy"]).Should().Be("Always");
        ((string?)container["terminationMessagePath"]).Should().Be("/dev/termination-log");
        ((string?)container["terminationMessagePolicy"]).Should().Be("File");
        container["resources"]!.ToJsonString().Should().Be("{}");
        pod["status"]!.ToJsonString().Should().Be("""{"phase":"Pending","qosClass":"BestEffort"}""");
    }

    [Fact]
    public void Create_mounts_the_kube_api_access_volume_into_every_container_that_has_no_mount_there()
    {
        var (pod, errors) = Create(Strategy, """
            {"metadata":{"name":"p"},"spec":{
             "initContainers":[{"name":"init","image":"busybox"}],
             "containers":[{"name":"a","image":"busybox"},
                           {"name":"b","image":"busybox","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
             "volumes":[{"name":"own","emptyDir":{}}]}}
            """);

        errors.Should().BeEmpty();
        var volume = pod["spec"]!["volumes"]![1]!;
        var name = (string)volume["name"]!;
        name.Should().MatchRegex("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$");
        volume["projected"]!.ToJsonString().Should().Be(
            """{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},"""
            + """{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},"""
            + """{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}""");
        var mount = $$"""{"name":"{{name}}","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}""";
        pod["spec"]!["initContainers"]![0]!["volumeMounts"]!.ToJsonString().Should().Be($"[{mount}]");
        pod["spec"]!["containers"]![0]!["volumeMounts"]!.ToJsonString().Should().Be($"[{mount}]");
        pod["spec"]!["containers"]![1]!["volumeMounts"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public void A_pod_that_opts_out_of_token_automount_gets_no_api_access_volume()
    {
        var (pod, _) = Create(Strategy, """{"metadata":{"name":"p"},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"p","image":"busybox"}]}}""");

        pod["spec"]!["volumes"].Should().BeNull();
        pod["spec"]!["containers"]![0]!["volumeMounts"].Should().BeNull();
    }

    [Fact]
    public void Create_adds_the_default_toleration_seconds_for_not_ready_and_unreachable()
    {
        var (pod, _) = Create(Strategy, BusyBox);

        pod["spec"]!["tolerations"]!.ToJsonString().Should().Be(
            """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},"""
            + """{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]""");
    }

    [Fact]
    public void An_existing_toleration_for_a_taint_is_not_duplicated()
    {
        var (pod, _) = Create(Strategy, """{"metadata":{"name":"p"},"spec":{"tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute"}],"containers":[{"name":"p","image":"busybox"}]}}""");

        var keys = pod["spec"]!["tolerations"]!.AsArray().Select(t => (string?)t!["key"]).ToList();
        keys.Should().Equal("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");
    }

    [Theory]
    [InlineData("busybox", "Always")]
    [InlineData("busybox:latest", "Always")]
    [InlineData("busybox:1.36", "IfNotPresent")]
    [InlineData("localhost:5000/busybox", "Always")]
    [InlineData("localhost:5000/busybox:v1", "IfNotPresent")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public void Image_pull_policy_follows_the_tag(string image, string policy) =>
        K8sSharp.Api.Defaults.PodDefaults.PullPolicyFor(image).Should().Be(policy);

    [Theory]
    [InlineData("""{}""", "BestEffort")]
    [InlineData("""{"requests":{"cpu":"100m"}}""", "Burstable")]
    [InlineData("""{"limits":{"cpu":"1","memory":"1Gi"}}""", "Guaranteed")]
    [InlineData("""{"requests":{"cpu":"1000m","memory":"1024Mi"},"limits":{"cpu":"1","memory":"1Gi"}}""", "Guaranteed")]
    [InlineData("""{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}}""", "Burstable")]
    public void Qos_class_is_computed_from_requests_and_limits(string resources, string qos)
    {
        var (pod, _) = Create(Strategy, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x","resources":""" + resources + "}]}}");

        ((string?)pod["status"]!["qosClass"]).Should().Be(qos);
    }

    [Fact]
    public void Probes_ports_volumes_and_env_get_their_defaults()
    {
        var (pod, errors) = Create(Strategy, """
            {"metadata":{"name":"p"},"spec":{
              "volumes":[{"name":"cm","configMap":{"name":"c"}},{"name":"s","secret":{"secretName":"s"}},{"name":"e"}],
              "containers":[{"name":"c","image":"nginx:1.27","ports":[{"containerPort":80}],
                "env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
                "volumeMounts":[{"name":"cm","mountPath":"/cm"}],
                "livenessProbe":{"httpGet":{"port":80}}}]}}
            """);

        errors.Should().BeEmpty();
        var spec = pod["spec"]!;
        ((string?)spec["containers"]![0]!["ports"]![0]!["protocol"]).Should().Be("TCP");
        spec["containers"]![0]!["livenessProbe"]!.ToJsonString().Should().Be(
            """{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""");
        ((string?)spec["containers"]![0]!["env"]![0]!["valueFrom"]!["fieldRef"]!["apiVersion"]).Should().Be("v1");
        ((int?)spec["volumes"]![0]!["configMap"]!["defaultMode"]).Should().Be(420);
        ((int?)spec["volumes"]![1]!["secret"]!["defaultMode"]).Should().Be(420);
        spec["volumes"]![2]!["emptyDir"]!.ToJsonString().Should().Be("{}");
    }

    [Fact]
    public void Limits_without_requests_become_requests_on_pods()
    {
        var (pod, _) = Create(Strategy, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x","resources":{"limits":{"memory":"64Mi"}}}]}}""");

        ((string?)pod["spec"]!["containers"]![0]!["resources"]!["requests"]!["memory"]).Should().Be("64Mi");
        ((string?)pod["status"]!["qosClass"]).Should().Be("Burstable");
    }

    [Theory]
    [InlineData("""{"containers":[]}""", "spec.containers: Required value")]
    [InlineData("""{"containers":[{"image":"x"}]}""", "spec.containers[0].name: Required value")]
    [InlineData("""{"containers":[{"name":"c"}]}""", "spec.containers[0].image: Required value")]
    [InlineData("""{"containers":[{"name":"Bad_Name","image":"x"}]}""", "spec.containers[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label")]
    [InlineData("""{"containers":[{"name":"c","image":"x"},{"name":"c","image":"y"}]}""", "spec.containers[1].name: Duplicate value: \"c\"")]
    [InlineData("""{"initContainers":[{"name":"c","image":"x"}],"containers":[{"name":"c","image":"y"}]}""", "spec.initContainers[0].name: Duplicate value: \"c\"")]
    [InlineData("""{"containers":[{"name":"c","image":"x","ports":[{"containerPort":70000}]}]}""", "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"containers":[{"name":"c","image":"x","ports":[{"containerPort":80,"protocol":"HTTP"}]}]}""", "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("""{"restartPolicy":"Sometimes","containers":[{"name":"c","image":"x"}]}""", "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")]
    [InlineData("""{"containers":[{"name":"c","image":"x","imagePullPolicy":"Sometimes"}]}""", "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"")]
    [InlineData("""{"containers":[{"name":"c","image":"x","volumeMounts":[{"name":"v","mountPath":"/v"}]}]}""", "spec.containers[0].volumeMounts[0].name: Not found: \"v\"")]
    [InlineData("""{"volumes":[{"name":"v"},{"name":"v"}],"containers":[{"name":"c","image":"x"}]}""", "spec.volumes[1].name: Duplicate value: \"v\"")]
    public void Invalid_specs_report_upstream_messages_with_field_paths(string spec, string expected)
    {
        var (_, errors) = Create(Strategy, """{"metadata":{"name":"p"},"spec":""" + spec + "}");

        Lines(errors).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void Every_error_is_reported_not_just_the_first()
    {
        var (_, errors) = Create(Strategy, """{"metadata":{"name":"p"},"spec":{"restartPolicy":"x","containers":[{"name":"","image":""}]}}""");

        errors.Select(e => e.Field).Should().BeEquivalentTo("spec.containers[0].name", "spec.containers[0].image", "spec.restartPolicy");
    }

    [Fact]
    public void Updates_may_change_images_but_not_other_spec_fields()
    {
        var (pod, _) = Create(Strategy, BusyBox);

        var (_, imageErrors) = Update(Strategy, pod, p => p["spec"]!["containers"]![0]!["image"] = "busybox:1.36");
        var (_, portErrors) = Update(Strategy, pod, p => p["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }));
        var (_, labelErrors) = Update(Strategy, pod, p => p["metadata"]!["labels"] = new JsonObject { ["a"] = "b" });

        imageErrors.Should().BeEmpty();
        labelErrors.Should().BeEmpty();
        Lines(portErrors).Should().ContainSingle().Which.Should().StartWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");
    }

    [Fact]
    public void Update_keeps_the_stored_status()
    {
        var (pod, _) = Create(Strategy, BusyBox);

        var (updated, _) = Update(Strategy, pod, p => p["status"] = new JsonObject { ["phase"] = "Running" });

        ((string?)updated["status"]!["phase"]).Should().Be("Pending");
    }
}
