using Docker.DotNet.Models;

namespace K8sSharp.Kubelet.Runtime;

/// <summary>
/// The container runtime as the kubelet needs it (a narrow CRI): everything it lists is limited to this node's
/// containers (label <see cref="ContainerLabels.Node"/>). Implemented over dockerd by <see cref="DockerRuntime"/>.
/// </summary>
internal interface IContainerRuntime
{
    /// <summary>The pods (uid, namespace, name) that have at least one container of this node, running or not.</summary>
    Task<IReadOnlyList<(string Uid, string Namespace, string Name)>> ListPodsAsync(CancellationToken cancellationToken);

    /// <summary>Every sandbox and container of the pod, newest first.</summary>
    Task<PodRuntimeState> GetPodAsync(string podUid, CancellationToken cancellationToken);

    /// <summary>Creates a container; the node label is added here, so callers cannot forget it.</summary>
    Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken);

    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>SIGTERM (or the image's stop signal), then SIGKILL after <paramref name="grace"/>; a stopped container is fine.</summary>
    Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Removes the container (forcibly); a missing container is fine.</summary>
    Task RemoveContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="command"/> in the container; a time-out is reported as exit code -1.</summary>
    Task<ExecResult> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The image's id and repo digests, or null when it is not present on the machine.</summary>
    Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls the image; throws <see cref="ImagePullException"/> with the registry's message when that fails.</summary>
    Task PullImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="tailLines"/> lines of the container's output (stdout and stderr).</summary>
    Task<string> TailLogsAsync(string id, int tailLines, CancellationToken cancellationToken);
}

/// <summary>An image pull failed (the message is the daemon's).</summary>
internal sealed class ImagePullException : Exception
{
    public ImagePullException()
    {
    }

    public ImagePullException(string message)
        : base(message)
    {
    }

    public ImagePullException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
