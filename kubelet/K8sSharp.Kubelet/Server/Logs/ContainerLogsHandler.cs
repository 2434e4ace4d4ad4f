using k8s.Models;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// <c>GET /containerLogs/{ns}/{pod}/{container}</c>: the container's CRI log file (the one before with
/// <c>previous</c>) as plain text, streamed while following. When there is no such container yet, or no previous
/// one, a 400 Status with upstream's message (validateContainerLogStatus).
/// </summary>
internal sealed class ContainerLogsHandler(PodLookup lookup, IContainerRuntime runtime, PodPaths paths, TimeProvider time)
{
    public async Task ServeAsync(HttpContext context, string ns, string podName, string containerName)
    {
        ArgumentNullException.ThrowIfNull(context);
        LogRequest request;
        try
        {
            request = LogRequest.Parse(name => context.Request.Query[name].FirstOrDefault(), time.GetUtcNow());
        }
        catch (FormatException e)
        {
            await StatusResponses.BadRequest(context, e.Message);
            return;
        }
        var (target, code, error) = await lookup.FindAsync(ns, podName, containerName, request.Previous, context.RequestAborted);
        if (target is null)
        {
            await StatusResponses.WriteAsync(context, code, error);
            return;
        }
        if (target.Container is not { } container)
        {
            await StatusResponses.BadRequest(context, NoContainerMessage(target, request.Previous));
            return;
        }
        var file = paths.ContainerLogFile(ns, podName, target.Pod.Metadata.Uid, containerName, container.RestartCount);
        context.Response.ContentType = "text/plain";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(context.RequestAborted);
        var follower = new ContainerLogFollower(ct => IsRunningAsync(target.Pod.Metadata.Uid, container.Id, ct), time);
        if (!await WaitForFileAsync(file, request.Follow ? follower : null, context.RequestAborted))
        {
            return;
        }
        try
        {
            await CriLogReader.ReadAsync(file, request, context.Response.Body, follower, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client stopped following.
        }
    }

    /// <summary>The copier creates the file a moment after the container starts; a follower waits for it.</summary>
    private static async Task<bool> WaitForFileAsync(string file, ContainerLogFollower? follower, CancellationToken cancellationToken)
    {
        while (!File.Exists(file))
        {
            if (follower is null || !await follower.WaitAsync(cancellationToken))
            {
                return File.Exists(file);
            }
        }
        return true;
    }

    private async Task<bool> IsRunningAsync(string podUid, string containerId, CancellationToken cancellationToken)
    {
        var state = await runtime.GetPodAsync(podUid, cancellationToken);
        return state.Containers.Any(c => c.Id == containerId && c.Running);
    }

    /// <summary>Upstream's messages for a container without logs to show (kubelet_pods.go validateContainerLogStatus).</summary>
    internal static string NoContainerMessage(ContainerTarget target, bool previous)
    {
        var (name, pod) = (target.ContainerName, target.Pod.Metadata.Name);
        if (previous)
        {
            return $"previous terminated container \"{name}\" in pod \"{pod}\" not found";
        }
        var status = StatusOf(target.Pod, name);
        if (status?.State?.Terminated is not null)
        {
            return $"container \"{name}\" in pod \"{pod}\" is terminated";
        }
        var reason = status?.State?.Waiting?.Reason switch
        {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            { Length: > 0 } other => other,
            _ => "ContainerCreating",
        };
        return $"container \"{name}\" in pod \"{pod}\" is waiting to start: {reason}";
    }

    private static V1ContainerStatus? StatusOf(V1Pod pod, string name) =>
        (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(s => s.Name == name);
}
