using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace K8sSharp.Kubelet.Runtime;

/// <summary>
/// <see cref="IContainerRuntime"/> over dockerd (Docker.DotNet). Every list is filtered by the node label, and every
/// created container gets it, so kubelets sharing one dockerd never see each other's containers.
/// </summary>
internal sealed class DockerRuntime : IContainerRuntime, IDisposable
{
    private readonly string nodeName;

    public DockerRuntime(IDockerClient client, string nodeName)
    {
        Client = client;
        this.nodeName = nodeName;
    }

    /// <summary>The Docker.DotNet client, for the parts that stream (logs, events).</summary>
    public IDockerClient Client { get; }

    public static DockerRuntime Connect(string endpoint, string nodeName) =>
        new(new DockerClientConfiguration(new Uri(endpoint)).CreateClient(), nodeName);

    /// <summary>The label filter that selects this node's containers (plus an optional extra label=value).</summary>
    public Dictionary<string, IDictionary<string, bool>> NodeFilter(string? extraLabel = null)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.Node}={nodeName}"] = true };
        if (extraLabel is not null)
        {
            labels[extraLabel] = true;
        }
        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
    }

    public async Task<IReadOnlyList<(string Uid, string Namespace, string Name)>> ListPodsAsync(CancellationToken cancellationToken)
    {
        var list = await Client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = NodeFilter() }, cancellationToken);
        return [.. list
            .Where(c => c.Labels.ContainsKey(ContainerLabels.PodUid))
            .Select(c => (c.Labels[ContainerLabels.PodUid], Label(c.Labels, ContainerLabels.PodNamespace), Label(c.Labels, ContainerLabels.PodName)))
            .Distinct()];
    }

    public async Task<PodRuntimeState> GetPodAsync(string podUid, CancellationToken cancellationToken)
    {
        var list = await Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = NodeFilter($"{ContainerLabels.PodUid}={podUid}") }, cancellationToken);
        // One inspect per container, concurrently: a pod's sync reads its state several times.
        var inspected = await Task.WhenAll(list.Select(summary => TryInspectAsync(summary.ID, cancellationToken)));
        var sandboxes = new List<PodSandbox>();
        var containers = new List<RuntimeContainer>();
        foreach (var inspect in inspected.OfType<ContainerInspectResponse>())
        {
            if (Label(inspect.Config.Labels, ContainerLabels.DockerType) == ContainerLabels.TypeSandbox)
            {
                sandboxes.Add(ToSandbox(podUid, inspect));
            }
            else
            {
                containers.Add(ToContainer(podUid, inspect));
            }
        }
        return new PodRuntimeState(
            podUid,
            [.. sandboxes.OrderByDescending(s => s.Attempt).ThenByDescending(s => s.CreatedAt)],
            [.. containers.OrderByDescending(c => c.RestartCount).ThenByDescending(c => c.CreatedAt)]);
    }

    /// <summary>The container's details, or null when it was removed between the list and the inspect.</summary>
    private async Task<ContainerInspectResponse?> TryInspectAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.Containers.InspectContainerAsync(id, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    private static PodSandbox ToSandbox(string podUid, ContainerInspectResponse inspect) =>
        new(inspect.ID, podUid, IntLabel(inspect, ContainerLabels.SandboxAttempt), inspect.State.Running, inspect.State.Pid, inspect.Created);

    private static RuntimeContainer ToContainer(string podUid, ContainerInspectResponse inspect) => new()
    {
        Id = inspect.ID,
        Name = Label(inspect.Config.Labels, ContainerLabels.ContainerName),
        PodUid = podUid,
        SandboxId = Label(inspect.Config.Labels, ContainerLabels.SandboxId),
        RestartCount = IntLabel(inspect, ContainerLabels.RestartCount),
        State = inspect.State.Running ? ContainerRunState.Running
            : inspect.State.Status == "created" ? ContainerRunState.Created
            : inspect.State.Status is "exited" or "dead" ? ContainerRunState.Exited : ContainerRunState.Unknown,
        ExitCode = inspect.State.ExitCode,
        OomKilled = inspect.State.OOMKilled,
        Error = string.IsNullOrEmpty(inspect.State.Error) ? null : inspect.State.Error,
        CreatedAt = inspect.Created.ToUniversalTime(),
        StartedAt = ParseTime(inspect.State.StartedAt),
        FinishedAt = ParseTime(inspect.State.FinishedAt),
        Image = inspect.Config.Image,
        ImageId = inspect.Image,
    };

    private static int IntLabel(ContainerInspectResponse inspect, string label) =>
        int.TryParse(Label(inspect.Config.Labels, label), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Label(IDictionary<string, string>? labels, string name) =>
        labels is not null && labels.TryGetValue(name, out var value) ? value : "";

    /// <summary>Docker reports "0001-01-01T00:00:00Z" for a time that has not happened.</summary>
    private static DateTime? ParseTime(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t
            : null;

    public async Task<string> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Labels ??= new Dictionary<string, string>();
        parameters.Labels[ContainerLabels.Node] = nodeName;
        var created = await Client.Containers.CreateContainerAsync(parameters, cancellationToken);
        return created.ID;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);

    public async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds));
        try
        {
            await Client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // "removal already in progress"
        }
    }

    public async Task<ExecResult> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exec = await Client.Exec.ExecCreateContainerAsync(
            id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true }, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var stream = await Client.Exec.StartAndAttachContainerExecAsync(exec.ID, false, deadline.Token);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(deadline.Token);
            var inspect = await Client.Exec.InspectContainerExecAsync(exec.ID, cancellationToken);
            var output = stdout + stderr;
            return new ExecResult(inspect.ExitCode, output.Length > 10240 ? output[..10240] : output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExecResult(-1, $"command timed out after {timeout.TotalSeconds:0}s");
        }
    }

    public async Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PullImageAsync(string image, CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(image);
        var progress = new PullProgress();
        try
        {
            await Client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new ImagePullException(e.ResponseBody?.Trim() is { Length: > 0 } body ? body : e.Message, e);
        }
        if (progress.Error is { } error)
        {
            throw new ImagePullException(error);
        }
    }

    public async Task<string> TailLogsAsync(string id, int tailLines, CancellationToken cancellationToken)
    {
        using var stream = await Client.Containers.GetContainerLogsAsync(
            id, false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = tailLines.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        return stdout + stderr;
    }

    public void Dispose() => Client.Dispose();

    /// <summary>Records the daemon's error message; synchronous, unlike Progress&lt;T&gt;, so it is set when the pull returns.</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error is { Message: { Length: > 0 } message })
            {
                Error = message;
            }
            else if (!string.IsNullOrEmpty(value.ErrorMessage))
            {
                Error = value.ErrorMessage;
            }
        }
    }
}
