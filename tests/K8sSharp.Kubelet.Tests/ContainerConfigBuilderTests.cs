using k8s.Models;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Volumes;

namespace K8sSharp.Kubelet.Tests;

public sealed class ContainerConfigBuilderTests
{
    private static readonly PodPaths Paths = new("/var/lib/k", "/var/log/pods");

    private static ContainerContext Context(V1Pod pod, IReadOnlyDictionary<string, MountSource>? volumes = null, int restartCount = 0) => new()
    {
        Pod = pod,
        Container = pod.Spec.Containers[0],
        NodeName = "node-a",
        SandboxId = "sandbox1",
        RestartCount = restartCount,
        Env = [("GREETING", "hi"), ("NAME", "world")],
        Volumes = volumes ?? new Dictionary<string, MountSource>(),
        Paths = Paths,
    };

    [Fact]
    public void The_sandbox_is_a_pause_container_with_no_network_and_shareable_ipc()
    {
        var config = ContainerConfigBuilder.Sandbox(TestPods.Pod("web", "team"), "node-a", 2, "cluster.local");

        config.Image.Should().Be("registry.k8s.io/pause:3.10");
        config.Name.Should().Be("k8s_POD_web_team_uid-web_2");
        config.Hostname.Should().Be("web");
        (config.HostConfig.NetworkMode, config.HostConfig.IpcMode).Should().Be(("none", "shareable"));
        config.Labels.Should().Contain(new Dictionary<string, string>
        {
            [ContainerLabels.DockerType] = "podsandbox",
            [ContainerLabels.ContainerName] = "POD",
            [ContainerLabels.PodUid] = "uid-web",
            [ContainerLabels.Node] = "node-a",
            [ContainerLabels.SandboxAttempt] = "2",
        });
    }

    [Fact]
    public void App_containers_join_the_sandbox_and_carry_dockershim_names_and_labels()
    {
        var pod = TestPods.Pod("web", "team");
        pod.Spec.ShareProcessNamespace = true;

        var config = ContainerConfigBuilder.Container(Context(pod, restartCount: 3));

        config.Name.Should().Be("k8s_c_web_team_uid-web_3");
        (config.HostConfig.NetworkMode, config.HostConfig.IpcMode, config.HostConfig.PidMode)
            .Should().Be(("container:sandbox1", "container:sandbox1", "container:sandbox1"));
        config.Labels.Should().Contain(new Dictionary<string, string>
        {
            [ContainerLabels.PodName] = "web",
            [ContainerLabels.PodNamespace] = "team",
            [ContainerLabels.ContainerName] = "c",
            [ContainerLabels.DockerType] = "container",
            [ContainerLabels.RestartCount] = "3",
            [ContainerLabels.Node] = "node-a",
        });
        config.Env.Should().Equal("GREETING=hi", "NAME=world");
        config.HostConfig.Binds.Should().Equal(
            "/var/lib/k/pods/uid-web/etc-hosts:/etc/hosts",
            "/var/lib/k/pods/uid-web/resolv.conf:/etc/resolv.conf",
            "/var/lib/k/pods/uid-web/containers/c/3.termination-log:/dev/termination-log");
    }

    [Theory]
    [InlineData(new[] { "echo" }, new[] { "$(GREETING)", "$(NAME)" }, new[] { "echo" }, new[] { "hi", "world" })]
    [InlineData(new[] { "sh", "-c" }, new string[0], new[] { "sh", "-c" }, new string[0])]
    [InlineData(new string[0], new[] { "a" }, null, new[] { "a" })]
    [InlineData(new string[0], new string[0], null, null)]
    public void Command_replaces_the_entrypoint_and_args_the_cmd_with_variables_expanded(string[] command, string[] args, string[]? entrypoint, string[]? cmd)
    {
        var pod = TestPods.Pod(containers: new V1Container { Name = "c", Image = "busybox", Command = command, Args = args });

        var config = ContainerConfigBuilder.Container(Context(pod));

        config.Entrypoint.Should().BeEquivalentTo(entrypoint, o => o.WithStrictOrdering());
        config.Cmd.Should().BeEquivalentTo(cmd, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Resources_become_cpu_shares_quota_and_a_memory_limit()
    {
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m"), ["memory"] = new("64Mi") },
            },
        });

        var host = ContainerConfigBuilder.Container(Context(pod)).HostConfig;

        (host.CPUShares, host.CPUQuota, host.CPUPeriod, host.Memory).Should().Be((256L, 150_000L, 100_000L, 64L << 20));
    }

    [Fact]
    public void A_best_effort_container_gets_the_minimum_shares_and_no_limits()
    {
        var host = ContainerConfigBuilder.Container(Context(TestPods.Pod())).HostConfig;

        (host.CPUShares, host.CPUQuota, host.Memory).Should().Be((2L, 0L, 0L));
    }

    [Fact]
    public void The_security_context_sets_user_privileges_capabilities_and_a_read_only_root()
    {
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            SecurityContext = new V1SecurityContext
            {
                RunAsUser = 1000,
                Privileged = true,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Add = ["NET_ADMIN"], Drop = ["ALL"] },
            },
        });
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsGroup = 3000, FsGroup = 2000, SupplementalGroups = [4000] };

        var config = ContainerConfigBuilder.Container(Context(pod));

        config.User.Should().Be("1000:3000");
        config.HostConfig.Privileged.Should().BeTrue();
        config.HostConfig.ReadonlyRootfs.Should().BeTrue();
        config.HostConfig.CapAdd.Should().Equal("NET_ADMIN");
        config.HostConfig.CapDrop.Should().Equal("ALL");
        config.HostConfig.SecurityOpt.Should().Equal("no-new-privileges");
        config.HostConfig.GroupAdd.Should().Equal("4000", "2000");
    }

    [Fact]
    public void Volume_mounts_become_binds_read_only_when_asked_or_api_backed_and_tmpfs_for_memory()
    {
        var pod = TestPods.Pod(containers: new V1Container
        {
            Name = "c",
            Image = "busybox",
            VolumeMounts =
            [
                new V1VolumeMount { Name = "data", MountPath = "/data" },
                new V1VolumeMount { Name = "cfg", MountPath = "/etc/cfg" },
                new V1VolumeMount { Name = "host", MountPath = "/host", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "cache", MountPath = "/cache" },
            ],
        });
        var volumes = new Dictionary<string, MountSource>
        {
            ["data"] = new("/v/data", false),
            ["cfg"] = new("/v/cfg", true),
            ["host"] = new("/srv", false),
            ["cache"] = new("/v/cache", false),
        };

        var host = ContainerConfigBuilder.Container(Context(pod, volumes)).HostConfig;

        host.Binds.Should().StartWith(["/v/data:/data", "/v/cfg:/etc/cfg:ro", "/srv:/host:ro"]);
        host.Binds.Should().Contain("/v/cache:/cache");
        host.Tmpfs.Should().BeNull("a Memory emptyDir is a host tmpfs bound like any volume, so the pod's containers share it");
    }

    [Fact]
    public void A_mount_of_an_unknown_volume_is_a_config_error()
    {
        var pod = TestPods.Pod(containers: new V1Container { Name = "c", Image = "busybox", VolumeMounts = [new V1VolumeMount { Name = "nope", MountPath = "/x" }] });

        var act = () => ContainerConfigBuilder.Container(Context(pod));

        act.Should().Throw<ContainerConfigException>().WithMessage("cannot find volume \"nope\"*");
    }
}
