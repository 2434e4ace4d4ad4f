using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;

namespace K8sSharp.Client.Dynamic;

/// <summary>
/// Raw HTTP requests through a KubernetesClient's own pipeline and credentials, for what its typed API does not cover
/// (arbitrary resources, metadata-only lists, discovery). A non-success answer becomes the same
/// <see cref="HttpOperationException"/> (with status and body) the typed calls throw.
/// </summary>
public static class ApiRequests
{
    public const string Json = "application/json";

    public static Kubernetes RequireHttpClient(IKubernetes client) =>
        client as Kubernetes ?? throw new ArgumentException("a k8s.Kubernetes client is needed for its HTTP pipeline", nameof(client));

    /// <param name="pathAndQuery">Relative to the server's base URI, e.g. <c>api/v1/pods?limit=500</c>.</param>
    /// <param name="accept">The Accept header, e.g. <see cref="Json"/>.</param>
    public static async Task<HttpResponseMessage> SendAsync(Kubernetes client, HttpMethod method, string pathAndQuery, HttpContent? content,
        string accept, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, pathAndQuery)) { Content = content };
        request.Headers.Accept.ParseAdd(accept);
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        var response = await client.HttpClient.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.Dispose();
        throw new HttpOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}")
        {
            Response = new HttpResponseMessageWrapper(response, body),
        };
    }

    /// <summary>Sends and reads the JSON answer as <typeparamref name="T"/>.</summary>
    public static async Task<T> SendJsonAsync<T>(Kubernetes client, HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, method, pathAndQuery, content, Json, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return KubernetesJson.Deserialize<T>(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>A JSON request body with the given media type (e.g. <c>application/merge-patch+json</c>).</summary>
    public static StringContent JsonBody(string json, string mediaType = Json) =>
        new(json, System.Text.Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
}
