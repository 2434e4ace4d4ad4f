using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Tests;

public sealed class EnvBuilderTests
{
    private static readonly DownwardContext Context = new("10.244.1.5", "192.0.2.2", new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("4Gi") });

    private static Dictionary<string, string> Build(V1Pod pod, StaticObjects objects) =>
        EnvBuilder.Build(pod, pod.Spec.Containers[0], objects, Context).ToDictionary(e => e.Name, e => e.Value);

    [Fact]
    public void Resolves_configmap_and_secret_keys_envFrom_with_prefix_and_field_refs()
    {
        var objects = new StaticObjects();
        objects.ConfigMaps.Add(TestPods.ConfigMap("team", "cfg", new() { ["greeting"] = "hello", ["COLOR"] = "blue" }));
        objects.Secrets.Add(TestPods.Secret("team", "sec", new() { ["password"] = "s3cret" }));
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "cfg" }, Prefix = "CFG_" }],
            Env =
            [
                new V1EnvVar { Name = "GREETING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cfg", Key = "greeting" } } },
                new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "sec", Key = "password" } } },
                new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "APP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app']" } } },
                new V1EnvVar { Name = "NODE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
            ],
        });

        var env = Build(pod, objects);

        env.Should().Contain(new Dictionary<string, string>
        {
            ["CFG_greeting"] = "hello",
            ["CFG_COLOR"] = "blue",
            ["GREETING"] = "hello",
            ["PASSWORD"] = "s3cret",
            ["POD_IP"] = "10.244.1.5",
            ["APP"] = "web",
            ["NODE"] = "node-a",
        });
    }

    [Theory]
    [InlineData("$(A)-x", "1-x")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("$(MISSING)", "$(MISSING)")]
    [InlineData("a$b", "a$b")]
    [InlineData("$(A)$(B)", "12")]
    public void Values_expand_references_to_earlier_variables(string value, string expected)
    {
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "B", Value = "2" }, new V1EnvVar { Name = "X", Value = value }],
        });

        Build(pod, new StaticObjects())["X"].Should().Be(expected);
    }

    [Fact]
    public void A_missing_configmap_fails_unless_optional()
    {
        V1Pod PodWith(bool optional) => TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "nope", Key = "k", Optional = optional } } }],
        });

        var act = () => Build(PodWith(false), new StaticObjects());
        act.Should().Throw<ContainerConfigException>().WithMessage("configmap \"nope\" not found");
        Build(PodWith(true), new StaticObjects()).Should().NotContainKey("X");
    }

    [Fact]
    public void A_missing_key_names_the_key_and_the_configmap()
    {
        var objects = new StaticObjects();
        objects.ConfigMaps.Add(TestPods.ConfigMap("team", "cfg", new() { ["a"] = "1" }));
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cfg", Key = "b" } } }],
        });

        var act = () => Build(pod, objects);
        act.Should().Throw<ContainerConfigException>().WithMessage("couldn't find key b in ConfigMap team/cfg");
    }

    [Theory]
    [InlineData("limits.memory", "1Mi", "128")]
    [InlineData("requests.cpu", "1m", "250")]
    [InlineData("limits.cpu", null, "1")]
    [InlineData("requests.memory", null, "134217728")]
    public void Resource_field_refs_divide_and_round_up(string resource, string? divisor, string expected)
    {
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("128Mi") },
            },
            Env = [new V1EnvVar { Name = "R", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) } } }],
        });

        Build(pod, new StaticObjects())["R"].Should().Be(expected);
    }

    [Fact]
    public void Service_links_for_the_pods_namespace_and_the_master_service()
    {
        var objects = new StaticObjects();
        objects.Services.Add(TestPods.Service("team", "redis-primary", "10.96.0.20", new V1ServicePort { Name = "redis", Port = 6379, Protocol = "TCP" }));
        objects.Services.Add(TestPods.Service("default", "kubernetes", "10.96.0.1", new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" }));
        objects.Services.Add(TestPods.Service("team", "headless", "None"));
        var pod = TestPods.Pod();

        var env = Build(pod, objects);

        env.Should().Contain(new Dictionary<string, string>
        {
            ["REDIS_PRIMARY_SERVICE_HOST"] = "10.96.0.20",
            ["REDIS_PRIMARY_SERVICE_PORT"] = "6379",
            ["REDIS_PRIMARY_SERVICE_PORT_REDIS"] = "6379",
            ["REDIS_PRIMARY_PORT"] = "tcp://10.96.0.20:6379",
            ["REDIS_PRIMARY_PORT_6379_TCP"] = "tcp://10.96.0.20:6379",
            ["REDIS_PRIMARY_PORT_6379_TCP_PROTO"] = "tcp",
            ["REDIS_PRIMARY_PORT_6379_TCP_PORT"] = "6379",
            ["REDIS_PRIMARY_PORT_6379_TCP_ADDR"] = "10.96.0.20",
            ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
            ["KUBERNETES_SERVICE_PORT"] = "443",
        });
        env.Keys.Should().NotContain(k => k.StartsWith("HEADLESS", StringComparison.Ordinal));
    }

    [Fact]
    public void EnableServiceLinks_false_keeps_only_the_master_service_and_explicit_env_wins()
    {
        var objects = new StaticObjects();
        objects.Services.Add(TestPods.Service("team", "redis", "10.96.0.20", new V1ServicePort { Port = 6379 }));
        objects.Services.Add(TestPods.Service("default", "kubernetes", "10.96.0.1", new V1ServicePort { Port = 443 }));
        var pod = TestPods.Pod(containers: new V1Container { Name = "c", Image = "busybox", Env = [new V1EnvVar { Name = "KUBERNETES_SERVICE_HOST", Value = "mine" }] });
        pod.Spec.EnableServiceLinks = false;

        var env = Build(pod, objects);

        env.Should().NotContainKey("REDIS_SERVICE_HOST");
        env["KUBERNETES_SERVICE_HOST"].Should().Be("mine");
        env["KUBERNETES_SERVICE_PORT"].Should().Be("443");
    }
}
