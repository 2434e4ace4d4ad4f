namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// <see cref="ILogFollower"/> for a live container: polls the file every <see cref="PollInterval"/> while the container
/// runs; once it has stopped, waits <see cref="FinalGrace"/> more (its last output is still being copied into the file
/// by the log copier) and then says so.
/// </summary>
internal sealed class ContainerLogFollower(Func<CancellationToken, Task<bool>> isRunning, TimeProvider time) : ILogFollower
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan FinalGrace = TimeSpan.FromMilliseconds(500);

    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(PollInterval, time, cancellationToken);
        if (await isRunning(cancellationToken))
        {
            return true;
        }
        await Task.Delay(FinalGrace, time, cancellationToken);
        return false;
    }
}
