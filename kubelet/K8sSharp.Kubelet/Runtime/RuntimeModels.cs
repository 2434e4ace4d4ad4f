namespace K8sSharp.Kubelet.Runtime;

/// <summary>The run state of a container as the runtime reports it (CRI's ContainerState).</summary>
internal enum ContainerRunState
{
    Created,
    Running,
    Exited,
    Unknown,
}

/// <summary>A pod's sandbox (its pause container): it holds the network, IPC and (optionally) PID namespaces.</summary>
internal sealed record PodSandbox(string Id, string PodUid, int Attempt, bool Running, long Pid, DateTime CreatedAt);

/// <summary>One app or init container of a pod as the runtime sees it.</summary>
internal sealed record RuntimeContainer
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string PodUid { get; init; }

    public required string SandboxId { get; init; }

    public int RestartCount { get; init; }

    public ContainerRunState State { get; init; }

    public long ExitCode { get; init; }

    public bool OomKilled { get; init; }

    public string? Error { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>The image as the pod spec names it.</summary>
    public string Image { get; init; } = "";

    /// <summary>The image id (sha256:…) the container runs.</summary>
    public string ImageId { get; init; } = "";

    public bool Running => State == ContainerRunState.Running;
}

/// <summary>What the runtime holds for one pod: every sandbox and container carrying its uid, newest first.</summary>
internal sealed record PodRuntimeState(string PodUid, IReadOnlyList<PodSandbox> Sandboxes, IReadOnlyList<RuntimeContainer> Containers)
{
    public static PodRuntimeState Empty(string uid) => new(uid, [], []);

    public PodSandbox? LatestSandbox => Sandboxes.Count == 0 ? null : Sandboxes[0];

    /// <summary>The newest container for a spec container name (the one whose state the status reports).</summary>
    public RuntimeContainer? Latest(string name) => Containers.FirstOrDefault(c => c.Name == name);

    /// <summary>The container before the newest one (its termination is the status' lastState).</summary>
    public RuntimeContainer? Previous(string name) => Containers.Where(c => c.Name == name).Skip(1).FirstOrDefault();
}

/// <summary>A docker exec's outcome: exit code and the combined stdout/stderr (truncated).</summary>
internal sealed record ExecResult(long ExitCode, string Output);

/// <summary>Where a pod's container lives, for the logs/exec/attach server: pod identity plus docker id.</summary>
internal sealed record PodContainerRef(string Namespace, string PodName, string PodUid, string ContainerName, string ContainerId, int RestartCount, bool Running);
