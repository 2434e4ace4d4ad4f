namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// Forwards a plain (non-upgrade) request and streams the answer back as it arrives, flushing each chunk, so that
/// <c>kubectl logs -f</c> and proxied long-polls see data when the backend writes it.
/// </summary>
internal static class StreamingProxy
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Authorization",
    };

    public static async Task ProxyAsync(HttpContext context, BackendTransport transport, Uri target, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }
        using var response = await transport.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[16384];
        while (await body.ReadAsync(buffer, ct) is > 0 and var read)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
            await context.Response.Body.FlushAsync(ct);
        }
    }
}
