using Docker.DotNet;
using Docker.DotNet.Models;
using K8sSharp.Streaming.RemoteCommand;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>
/// exec and attach through dockerd, as the remote-command runners of the streaming library. exec: a docker exec with
/// the requested streams and TTY, started attached; its exit code is docker's (126: not executable, 127: not found,
/// with docker's message on the output). attach: the container's own stdio (stdin only when the container was
/// created with <c>stdin: true</c>); it ends when the container stops and reports success, as upstream.
/// </summary>
internal sealed class DockerRemoteCommands(IDockerClient docker, TimeProvider time)
{
    public async Task<int> ExecAsync(string containerId, IList<string> command, RemoteCommandStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var created = await docker.Exec.ExecCreateContainerAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = command,
            AttachStdin = streams.Stdin is not null,
            AttachStdout = streams.Stdout is not null,
            AttachStderr = streams.Stderr is not null,
            Tty = streams.Tty,
        }, cancellationToken);
        using (var hijacked = await docker.Exec.StartAndAttachContainerExecAsync(created.ID, streams.Tty, cancellationToken))
        {
            await DockerStreamPump.RunAsync(hijacked, streams, size => docker.Exec.ResizeContainerExecTtyAsync(
                created.ID, new ContainerResizeParameters { Width = size.Width, Height = size.Height }, cancellationToken), time, cancellationToken);
        }
        return await ExitCodeAsync(created.ID, cancellationToken);
    }

    public async Task<int> AttachAsync(string containerId, RemoteCommandStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var inspect = await docker.Containers.InspectContainerAsync(containerId, cancellationToken);
        var tty = inspect.Config.Tty;
        var client = inspect.Config.OpenStdin ? streams : new RemoteCommandStreams { Stdout = streams.Stdout, Stderr = streams.Stderr, Tty = streams.Tty, Resizes = streams.Resizes };
        using var hijacked = await docker.Containers.AttachContainerAsync(containerId, tty, new ContainerAttachParameters
        {
            Stream = true,
            Stdin = client.Stdin is not null,
            Stdout = streams.Stdout is not null,
            Stderr = streams.Stderr is not null,
        }, cancellationToken);
        await DockerStreamPump.RunAsync(hijacked, client, size => docker.Containers.ResizeContainerTtyAsync(
            containerId, new ContainerResizeParameters { Width = size.Width, Height = size.Height }, cancellationToken), time, cancellationToken);
        return 0;
    }

    /// <summary>The exec's exit code; docker may report it a moment after the output ended.</summary>
    private async Task<int> ExitCodeAsync(string execId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var inspect = await docker.Exec.InspectContainerExecAsync(execId, cancellationToken);
            if (!inspect.Running || attempt == 50)
            {
                return (int)inspect.ExitCode;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
        }
    }
}
