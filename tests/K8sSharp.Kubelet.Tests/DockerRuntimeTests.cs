using k8s.Models;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Volumes;

namespace K8sSharp.Kubelet.Tests;

/// <summary>The runtime against the real dockerd: pods as labelled containers, seen only by their own node.</summary>
public sealed class DockerRuntimeTests : IDisposable
{
    private readonly string node = "test-node-" + Guid.NewGuid().ToString("N")[..8];
    private readonly DockerRuntime runtime;
    private readonly DockerRuntime otherNode;
    private readonly string podDir = Path.Combine(Path.GetTempPath(), "k8ssharp-rt-" + Guid.NewGuid().ToString("N"));

    public DockerRuntimeTests()
    {
        runtime = DockerRuntime.Connect(DockerFactAttribute.Endpoint, node);
        otherNode = DockerRuntime.Connect(DockerFactAttribute.Endpoint, node + "-other");
    }

    public void Dispose()
    {
        foreach (var (uid, _, _) in runtime.ListPodsAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            var state = runtime.GetPodAsync(uid, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var id in state.Containers.Select(c => c.Id).Concat(state.Sandboxes.Select(s => s.Id)))
            {
                runtime.RemoveContainerAsync(id, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        runtime.Dispose();
        otherNode.Dispose();
        if (Directory.Exists(podDir))
        {
            Directory.Delete(podDir, recursive: true);
        }
    }

    private V1Pod Pod(params string[] command)
    {
        var pod = TestPods.Pod("rt", "test", new V1Container { Name = "main", Image = "busybox:1.35", Command = command });
        pod.Metadata.Uid = Guid.NewGuid().ToString();
        pod.Spec.HostNetwork = true;
        return pod;
    }

    private async Task<(string SandboxId, string ContainerId)> RunAsync(V1Pod pod)
    {
        var sandbox = await runtime.CreateContainerAsync(ContainerConfigBuilder.Sandbox(pod, node, 0, "cluster.local"), CancellationToken.None);
        await runtime.StartContainerAsync(sandbox, CancellationToken.None);
        var paths = new PodPaths(podDir, Path.Combine(podDir, "logs"));
        Directory.CreateDirectory(paths.PodDir(pod.Metadata.Uid));
        await File.WriteAllTextAsync(paths.ResolvConf(pod.Metadata.Uid), "nameserver 10.96.0.10\n");
        var file = paths.TerminationMessageFile(pod.Metadata.Uid, "main", 0);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "");
        var id = await runtime.CreateContainerAsync(ContainerConfigBuilder.Container(new ContainerContext
        {
            Pod = pod,
            Container = pod.Spec.Containers[0],
            NodeName = node,
            SandboxId = sandbox,
            RestartCount = 0,
            Env = [("GREETING", "hello")],
            Volumes = new Dictionary<string, MountSource>(),
            Paths = paths,
        }), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        return (sandbox, id);
    }

    [DockerFact]
    public async Task A_pod_is_a_sandbox_plus_containers_listed_by_uid_and_only_for_its_node()
    {
        var pod = Pod("sh", "-c", "sleep 30");
        var (sandboxId, containerId) = await RunAsync(pod);

        var state = await runtime.GetPodAsync(pod.Metadata.Uid, CancellationToken.None);

        state.LatestSandbox!.Id.Should().Be(sandboxId);
        state.LatestSandbox.Running.Should().BeTrue();
        state.LatestSandbox.Pid.Should().BePositive();
        var container = state.Latest("main")!;
        (container.Id, container.SandboxId, container.RestartCount, container.State).Should().Be((containerId, sandboxId, 0, ContainerRunState.Running));
        container.ImageId.Should().StartWith("sha256:");
        (await runtime.ListPodsAsync(CancellationToken.None)).Should().Contain((pod.Metadata.Uid, "test", "rt"));
        (await otherNode.GetPodAsync(pod.Metadata.Uid, CancellationToken.None)).Containers.Should().BeEmpty("another kubelet never sees this node's containers");
    }

    [DockerFact]
    public async Task Exec_reports_output_and_exit_code_and_stop_records_the_exit()
    {
        var pod = Pod("sh", "-c", "trap 'exit 7' TERM; while true; do sleep 1; done");
        var (_, id) = await RunAsync(pod);

        var ok = await runtime.ExecAsync(id, ["sh", "-c", "echo $GREETING"], TimeSpan.FromSeconds(10), CancellationToken.None);
        var failed = await runtime.ExecAsync(id, ["sh", "-c", "exit 3"], TimeSpan.FromSeconds(10), CancellationToken.None);
        var slow = await runtime.ExecAsync(id, ["sleep", "5"], TimeSpan.FromMilliseconds(300), CancellationToken.None);
        await runtime.StopContainerAsync(id, TimeSpan.FromSeconds(10), CancellationToken.None);

        (ok.ExitCode, ok.Output).Should().Be((0L, "hello\n"));
        failed.ExitCode.Should().Be(3);
        slow.ExitCode.Should().Be(-1, "a time-out is a failure");
        var stopped = (await runtime.GetPodAsync(pod.Metadata.Uid, CancellationToken.None)).Latest("main")!;
        (stopped.State, stopped.ExitCode).Should().Be((ContainerRunState.Exited, 7L));
        stopped.FinishedAt.Should().NotBeNull();
    }

    [DockerFact]
    public async Task Images_are_inspected_and_a_failed_pull_says_why()
    {
        (await runtime.InspectImageAsync("busybox:1.35", CancellationToken.None)).Should().NotBeNull();
        (await runtime.InspectImageAsync("k8ssharp.invalid/none:1", CancellationToken.None)).Should().BeNull();

        var act = () => runtime.PullImageAsync("k8ssharp.invalid/none:1", CancellationToken.None);

        (await act.Should().ThrowAsync<ImagePullException>()).Which.Message.Should().NotBeEmpty();
    }
}
