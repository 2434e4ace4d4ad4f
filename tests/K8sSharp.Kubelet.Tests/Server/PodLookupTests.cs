using Docker.DotNet.Models;
using k8s.Models;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Server;
using K8sSharp.Kubelet.Server.Logs;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>How the server resolves {ns}/{pod}/{container}, and upstream's messages when there are no logs to show.</summary>
public sealed class PodLookupTests
{
    private readonly V1Pod pod = TestPods.Pod("web", "team", new V1Container { Name = "main" }, new V1Container { Name = "side" });

    private PodLookup Lookup(params RuntimeContainer[] containers) =>
        new(new StaticPods(pod), new OnePodRuntime(new PodRuntimeState(pod.Metadata.Uid, [], containers)));

    private RuntimeContainer Container(string name, int restart, ContainerRunState state) =>
        new() { Id = $"{name}-{restart}", Name = name, PodUid = pod.Metadata.Uid, SandboxId = "s", RestartCount = restart, State = state };

    [Fact]
    public async Task The_newest_container_is_the_target_and_previous_is_the_one_before_it()
    {
        // The runtime lists a pod's containers newest first.
        var lookup = Lookup(Container("main", 2, ContainerRunState.Running), Container("main", 1, ContainerRunState.Exited), Container("side", 0, ContainerRunState.Running));

        (await lookup.FindAsync("team", "web", "main", false, CancellationToken.None)).Target!.Container!.Id.Should().Be("main-2");
        (await lookup.FindAsync("team", "web", "main", true, CancellationToken.None)).Target!.Container!.Id.Should().Be("main-1");
        (await lookup.FindAsync("team", "web", "side", true, CancellationToken.None)).Target!.Container.Should().BeNull();
    }

    [Theory]
    [InlineData("other", "main", 404, "pod \"other\" does not exist")]
    [InlineData("web", "nope", 404, "container \"nope\" not found in pod \"web\"")]
    public async Task Unknown_pods_and_containers_are_404s(string podName, string container, int code, string message)
    {
        var (target, status, error) = await Lookup().FindAsync("team", podName, container, false, CancellationToken.None);

        target.Should().BeNull();
        (status, error).Should().Be((code, message));
    }

    [Theory]
    [InlineData(null, false, "container \"main\" in pod \"web\" is waiting to start: ContainerCreating")]
    [InlineData("ErrImagePull", false, "container \"main\" in pod \"web\" is waiting to start: image can't be pulled")]
    [InlineData("CrashLoopBackOff", false, "container \"main\" in pod \"web\" is waiting to start: CrashLoopBackOff")]
    [InlineData(null, true, "previous terminated container \"main\" in pod \"web\" not found")]
    public void Without_a_container_the_message_says_why_as_upstream(string? waitingReason, bool previous, string message)
    {
        if (waitingReason is not null)
        {
            pod.Status = new V1PodStatus { ContainerStatuses = [new V1ContainerStatus { Name = "main", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waitingReason } } }] };
        }

        ContainerLogsHandler.NoContainerMessage(new ContainerTarget(pod, "main", null), previous).Should().Be(message);
    }

    private sealed class StaticPods(params V1Pod[] pods) : INodePods
    {
        public V1Pod? Get(string ns, string name) => pods.FirstOrDefault(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Name == name);

        public IReadOnlyList<V1Pod> List() => pods;
    }

    /// <summary>The runtime edge: one pod's containers; nothing else is used by the lookup.</summary>
    private sealed class OnePodRuntime(PodRuntimeState state) : IContainerRuntime
    {
        public Task<PodRuntimeState> GetPodAsync(string podUid, CancellationToken cancellationToken) =>
            Task.FromResult(podUid == state.PodUid ? state : PodRuntimeState.Empty(podUid));

        public Task<IReadOnlyList<(string Uid, string Namespace, string Name)>> ListPodsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StartContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ExecResult> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PullImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> TailLogsAsync(string id, int tailLines, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
