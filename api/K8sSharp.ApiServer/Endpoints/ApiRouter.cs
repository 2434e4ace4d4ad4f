using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Routes everything under <c>/api</c> and <c>/apis</c>: the legacy per-group and per-version discovery documents,
/// and resource requests, which go to <see cref="ResourceHandler"/> (metrics.k8s.io to <see cref="Metrics.MetricsHandler"/>).
/// </summary>
internal sealed class ApiRouter(DiscoveryDocuments discovery, ResourceHandler resources, Metrics.MetricsHandler metrics)
{
    public async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var document = parts switch
        {
            ["api", var version] => discovery.ResourceList("", version),
            ["apis", var group] => discovery.Group(group),
            ["apis", var group, var version] => discovery.ResourceList(group, version),
            _ => null,
        };
        if (document is not null)
        {
            await ResponseWriter.WriteAsync(context, 200, document, OutputFormat.Json, context.RequestAborted);
            return;
        }
        var watch = context.Request.Query["watch"].ToString() is "true" or "1";
        var info = RequestInfo.Parse(context.Request.Method, path, watch) ?? throw ResourceHandler.NotFoundPath();
        await (Metrics.MetricsHandler.Handles(info) ? metrics.HandleAsync(context, info) : resources.HandleAsync(context, info));
    }
}

/// <summary>Turns every failure into a Kubernetes Status response; unexpected ones become 500s and are logged.</summary>
internal sealed class StatusErrors(ILogger<StatusErrors> logger) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, ApiException.InternalError(e.Message));
        }
    }

    private static async Task WriteAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.Clear();
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await ResponseWriter.WriteAsync(context, error.Code, error.ToStatus(), Negotiation.ForError(context.Request), context.RequestAborted);
    }
}
