namespace K8sSharp.ApiServer.Hosting;

/// <summary>
/// Serving starts while the API server initializes (watch cache priming, system objects, the bootstrap RBAC policy),
/// so that Kestrel's own start-up overlaps that work instead of following it (cold start). Until the gate opens,
/// <c>/readyz</c> answers not ready and every request but the health probes waits for it: a client sees a slower
/// first answer, never a refused connection or an answer from a half-initialized server.
/// </summary>
internal sealed class StartupGate
{
    private static readonly HashSet<string> Probes = ["/healthz", "/livez", "/readyz"];
    private readonly TaskCompletionSource initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => initialized.Task.IsCompletedSuccessfully;

    public void Open() => initialized.TrySetResult();

    /// <summary>Initialization failed: waiting requests fail with it (the process is about to exit).</summary>
    public void Fail(Exception error) => initialized.TrySetException(error);

    /// <summary>Middleware: holds every request but the health probes until the gate opens.</summary>
    public async Task HoldUntilOpenAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsOpen && !Probes.Contains(context.Request.Path.Value ?? string.Empty))
        {
            await initialized.Task.WaitAsync(context.RequestAborted);
        }
        await next(context);
    }
}
