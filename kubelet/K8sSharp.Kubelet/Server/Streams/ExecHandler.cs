using K8sSharp.Streaming.RemoteCommand;
using Microsoft.AspNetCore.Http;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>
/// <c>/exec/{ns}/{pod}/{container}?command=…&amp;input=1&amp;output=1&amp;error=1&amp;tty=1</c> and
/// <c>/attach/{ns}/{pod}/{container}?…</c>: the container must be running; the connection is upgraded (WebSocket
/// v5/v4 channel protocol, or SPDY with v4 and older) and the command runs through docker.
/// </summary>
internal sealed class ExecHandler(PodLookup lookup, DockerRemoteCommands commands)
{
    public Task ExecAsync(HttpContext context, string ns, string pod, string container)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Request.Query["command"].OfType<string>().ToList();
        if (command.Count == 0)
        {
            return StatusResponses.BadRequest(context, "you must specify at least one command for the container");
        }
        return ServeAsync(context, ns, pod, container, (id, streams, ct) => commands.ExecAsync(id, command, streams, ct));
    }

    public Task AttachAsync(HttpContext context, string ns, string pod, string container) =>
        ServeAsync(context, ns, pod, container, commands.AttachAsync);

    private async Task ServeAsync(HttpContext context, string ns, string pod, string container, Func<string, RemoteCommandStreams, CancellationToken, Task<int>> run)
    {
        var options = RemoteCommandOptions.FromQuery(name => context.Request.Query[name].FirstOrDefault());
        if (!options.Stdin && !options.Stdout && !options.Stderr)
        {
            await StatusResponses.BadRequest(context, "you must specify at least 1 of stdin, stdout, stderr");
            return;
        }
        var (target, code, error) = await lookup.FindAsync(ns, pod, container, previous: false, context.RequestAborted);
        if (target is null)
        {
            await StatusResponses.WriteAsync(context, code, error);
            return;
        }
        if (target.Container is not { Running: true } running)
        {
            await StatusResponses.BadRequest(context, $"container \"{container}\" in pod \"{pod}\" is not running");
            return;
        }
        var connection = await StreamUpgrade.AcceptAsync(context, WebSocketRemoteCommand.Protocols, SpdyRemoteCommand.Protocols);
        if (connection is null)
        {
            return;
        }
        RemoteCommandRunner runner = (streams, ct) => run(running.Id, streams, ct);
        if (connection.WebSocket is { } socket)
        {
            using (socket)
            {
                await WebSocketRemoteCommand.ServeAsync(socket, options, runner, context.RequestAborted);
            }
            return;
        }
        await using var spdy = connection.Spdy!;
        try
        {
            await SpdyRemoteCommand.ServeAsync(spdy, options, runner, context.RequestAborted);
        }
        catch (IOException)
        {
            // The client dropped the connection (kubectl killed); the command's streams ended with it.
        }
    }
}
