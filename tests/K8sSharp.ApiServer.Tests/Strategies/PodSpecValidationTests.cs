using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

/// <summary>The pod spec checks beyond names and enums, each with upstream's field path and message.</summary>
public class PodSpecValidationTests
{
    private static readonly K8sSharp.ApiServer.Registry.IResourceStrategy Pods = For("", "v1", "pods");
    private static readonly K8sSharp.ApiServer.Registry.IResourceStrategy Deployments = For("apps", "v1", "deployments");

    private const string C = "\"name\":\"c\",\"image\":\"x\"";

    [Theory]
    // security contexts
    [InlineData("""{"securityContext":{"runAsUser":-1},"containers":[{C}]}""", "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive")]
    [InlineData("""{"securityContext":{"supplementalGroups":[5,-2]},"containers":[{C}]}""", "spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive")]
    [InlineData("""{"containers":[{C,"securityContext":{"runAsGroup":-5}}]}""", "spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive")]
    [InlineData("""{"containers":[{C,"securityContext":{"privileged":true,"allowPrivilegeEscalation":false}}]}""", "spec.containers[0].securityContext: Invalid value: ")]
    [InlineData("""{"containers":[{C,"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"add":["CAP_SYS_ADMIN"]}}}]}""", "spec.containers[0].securityContext: Invalid value: {\"allowPrivilegeEscalation\":false,\"capabilities\":{\"add\":[\"CAP_SYS_ADMIN\"]}}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN")]
    [InlineData("""{"containers":[{C,"securityContext":{"procMount":"Weird"}}]}""", "spec.containers[0].securityContext.procMount: Unsupported value: \"Weird\": supported values: \"Default\", \"Unmasked\"")]
    [InlineData("""{"securityContext":{"seccompProfile":{"type":"Bogus"}},"containers":[{C}]}""", "spec.securityContext.seccompProfile.type: Unsupported value: \"Bogus\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"")]
    [InlineData("""{"securityContext":{"seccompProfile":{}},"containers":[{C}]}""", "spec.securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set")]
    [InlineData("""{"containers":[{C,"securityContext":{"seccompProfile":{"type":"Localhost"}}}]}""", "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost")]
    [InlineData("""{"containers":[{C,"securityContext":{"appArmorProfile":{"type":"RuntimeDefault","localhostProfile":"p"}}}]}""", "spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: ")]
    [InlineData("""{"containers":[{C,"securityContext":{"appArmorProfile":{"type":"Localhost","localhostProfile":"../p"}}}]}""", "spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: \"../p\": must not contain '..'")]
    // affinity
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[]}}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term")]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"In"}]}]}}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"Exists","values":["a"]}]}]}}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"Gt","values":["1","2"]}]}]}}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"Near"}]}]}}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator")]
    [InlineData("""{"affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":101,"preference":{}}]}},"containers":[{C}]}""", "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100")]
    [InlineData("""{"affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{}}]}},"containers":[{C}]}""", "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty")]
    [InlineData("""{"affinity":{"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":0,"podAffinityTerm":{"topologyKey":"zone"}}]}},"containers":[{C}]}""", "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100")]
    // probes
    [InlineData("""{"containers":[{C,"livenessProbe":{"periodSeconds":5}}]}""", "spec.containers[0].livenessProbe: Required value: must specify a handler type")]
    [InlineData("""{"containers":[{C,"readinessProbe":{"exec":{"command":["true"]},"tcpSocket":{"port":80}}}]}""", "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type")]
    [InlineData("""{"containers":[{C,"livenessProbe":{"tcpSocket":{"port":80},"successThreshold":2}}]}""", "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1")]
    [InlineData("""{"containers":[{C,"startupProbe":{"tcpSocket":{"port":80},"failureThreshold":-1}}]}""", "spec.containers[0].startupProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"containers":[{C,"readinessProbe":{"httpGet":{"port":70000}}}]}""", "spec.containers[0].readinessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"containers":[{C,"readinessProbe":{"httpGet":{"port":"Http_Port"}}}]}""", "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"Http_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("""{"containers":[{C,"readinessProbe":{"exec":{}}}]}""", "spec.containers[0].readinessProbe.exec.command: Required value")]
    // resources
    [InlineData("""{"containers":[{C,"resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}""", "spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit of 1")]
    [InlineData("""{"containers":[{C,"resources":{"requests":{"memory":"-1Gi"}}}]}""", "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0")]
    [InlineData("""{"containers":[{C,"resources":{"requests":{"hugepages-2Mi":"2Mi","memory":"1Gi"},"limits":{"hugepages-2Mi":"4Mi","memory":"1Gi"}}}]}""", "spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"2Mi\": must be equal to hugepages-2Mi limit of 4Mi")]
    [InlineData("""{"containers":[{C,"resources":{"limits":{"hugepages-2Mi":"4Mi"}}}]}""", "spec.containers[0].resources: Forbidden: HugePages require cpu or memory")]
    // topology spread constraints
    [InlineData("""{"topologySpreadConstraints":[{"maxSkew":0,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}],"containers":[{C}]}""", "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero")]
    [InlineData("""{"topologySpreadConstraints":[{"maxSkew":1,"whenUnsatisfiable":"DoNotSchedule"}],"containers":[{C}]}""", "spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty")]
    [InlineData("""{"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"Maybe"}],"containers":[{C}]}""", "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"")]
    // tolerations
    [InlineData("""{"tolerations":[{"key":"k","operator":"Exists","value":"v"}],"containers":[{C}]}""", "spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'")]
    [InlineData("""{"tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoWay"}],"containers":[{C}]}""", "spec.tolerations[0].effect: Unsupported value: \"NoWay\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"")]
    [InlineData("""{"tolerations":[{"operator":"Equal","value":"v"}],"containers":[{C}]}""", "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"")]
    [InlineData("""{"tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}],"containers":[{C}]}""", "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set")]
    // volumes, mounts, env, DNS, host network
    [InlineData("""{"volumes":[{"name":"v","emptyDir":{},"configMap":{"name":"c"}}],"containers":[{C}]}""", "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type")]
    [InlineData("""{"volumes":[{"name":"v"}],"containers":[{C,"volumeMounts":[{"name":"v","mountPath":"/v","subPath":"/abs"}]}]}""", "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"/abs\": must be a relative path")]
    [InlineData("""{"volumes":[{"name":"v"}],"containers":[{C,"volumeMounts":[{"name":"v","mountPath":"/v","subPath":"a/../../b"}]}]}""", "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"a/../../b\": must not contain '..'")]
    [InlineData("""{"volumes":[{"name":"v"}],"containers":[{C,"volumeMounts":[{"name":"v","mountPath":"/v"},{"name":"v","mountPath":"/v"}]}]}""", "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/v\": must be unique")]
    [InlineData("""{"containers":[{C,"env":[{"name":"A=B","value":"x"}]}]}""", "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='")]
    [InlineData("""{"dnsPolicy":"None","containers":[{C}]}""", "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None")]
    [InlineData("""{"dnsPolicy":"None","dnsConfig":{"searches":["a"]},"containers":[{C}]}""", "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")]
    [InlineData("""{"hostNetwork":true,"containers":[{C,"ports":[{"containerPort":80,"hostPort":8080}]}]}""", "spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true")]
    [InlineData("""{"containers":[{C,"ports":[{"name":"Web_1","containerPort":80}]}]}""", "spec.containers[0].ports[0].name: Invalid value: \"Web_1\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    public void Invalid_pod_specs_report_upstream_messages(string spec, string expected)
    {
        var (_, errors) = Create(Pods, """{"metadata":{"name":"p"},"spec":""" + spec.Replace("{C", "{" + C, StringComparison.Ordinal) + "}");

        Lines(errors).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Theory]
    [InlineData("""{"securityContext":{"runAsUser":0,"seccompProfile":{"type":"Localhost","localhostProfile":"profiles/a.json"}},"containers":[{C}]}""")]
    [InlineData("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/os","operator":"In","values":["linux"]}]}]}}},"containers":[{C}]}""")]
    [InlineData("""{"containers":[{C,"livenessProbe":{"httpGet":{"port":"http"},"periodSeconds":0},"ports":[{"name":"http","containerPort":80}]}]}""")]
    [InlineData("""{"containers":[{C,"resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}}}]}""")]
    [InlineData("""{"tolerations":[{"operator":"Exists"},{"key":"k","operator":"Equal","value":"v","effect":"NoExecute","tolerationSeconds":5}],"containers":[{C}]}""")]
    [InlineData("""{"hostNetwork":true,"dnsPolicy":"None","dnsConfig":{"nameservers":["10.0.0.10"]},"containers":[{C,"ports":[{"containerPort":80}],"env":[{"name":"my.var-1","value":"x"}]}]}""")]
    public void Valid_pod_specs_pass(string spec)
    {
        var (_, errors) = Create(Pods, """{"metadata":{"name":"p"},"spec":""" + spec.Replace("{C", "{" + C, StringComparison.Ordinal) + "}");

        Lines(errors).Should().BeEmpty();
    }

    [Fact]
    public void Templates_of_workloads_get_the_same_checks_under_their_own_path()
    {
        var (_, errors) = Create(Deployments, """
            {"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
             "spec":{"containers":[{"name":"c","image":"x","securityContext":{"runAsUser":-1},"readinessProbe":{}}]}}}}
            """);

        Lines(errors).Should().BeEquivalentTo(
            "spec.template.spec.containers[0].readinessProbe: Required value: must specify a handler type",
            "spec.template.spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive");
    }
}
