using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace K8sSharp.Client.Informers;

/// <summary>What to list and watch: an optional namespace (null: all namespaces, or a cluster-scoped kind) and selectors.</summary>
public sealed record ListScope(string? Namespace = null, string? LabelSelector = null, string? FieldSelector = null);

/// <summary>
/// <see cref="IListWatcher{T}"/> for any built-in kind, from the <see cref="KubernetesEntityAttribute"/> of
/// <typeparamref name="T"/> (group, version, plural): LIST <c>/api(s)/…/[namespaces/ns/]plural?limit&amp;continue</c> and
/// WATCH with <c>allowWatchBookmarks</c>, both with the scope's selectors. One class instead of a typed block per kind;
/// requests go through the client's own HTTP pipeline and credentials, so they authenticate as its other calls do.
/// </summary>
public sealed class ResourceListWatcher<T> : IListWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Kubernetes client;
    private readonly string collectionPath;
    private readonly ListScope scope;

    public ResourceListWatcher(IKubernetes client, ListScope? scope = null)
    {
        this.client = client as Kubernetes
            ?? throw new ArgumentException("a k8s.Kubernetes client is needed for its HTTP pipeline", nameof(client));
        this.scope = scope ?? new ListScope();
        collectionPath = CollectionPath(this.scope.Namespace);
    }

    /// <summary><c>api/v1/pods</c>, <c>apis/apps/v1/namespaces/ns/deployments</c>, …</summary>
    private static string CollectionPath(string? ns)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no KubernetesEntity attribute");
        var groupVersion = string.IsNullOrEmpty(entity.Group) ? "api/" + entity.ApiVersion : $"apis/{entity.Group}/{entity.ApiVersion}";
        return ns is null ? $"{groupVersion}/{entity.PluralName}" : $"{groupVersion}/namespaces/{Uri.EscapeDataString(ns)}/{entity.PluralName}";
    }

    public async Task<ListPage<T>> ListAsync(int limit, string? continueToken, CancellationToken cancellationToken)
    {
        var query = $"limit={limit}" + (string.IsNullOrEmpty(continueToken) ? "" : "&continue=" + Uri.EscapeDataString(continueToken));
        using var response = await SendAsync(query, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var list = KubernetesJson.Deserialize<ItemList>(body);
        return new ListPage<T>([.. list.Items ?? []], list.Metadata?.ResourceVersion ?? string.Empty, list.Metadata?.ContinueProperty);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"watch=true&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await SendAsync(query, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var watchEvent = KubernetesJson.Deserialize<RawWatchEvent>(line);
            if (watchEvent.Type == WatchEventType.Error)
            {
                onError(new KubernetesException(KubernetesJson.Deserialize<V1Status>(watchEvent.Object.GetRawText())));
                yield break;
            }
            yield return (watchEvent.Type, KubernetesJson.Deserialize<T>(watchEvent.Object.GetRawText()));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string query, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var selectors = (scope.LabelSelector is { } labels ? "&labelSelector=" + Uri.EscapeDataString(labels) : "")
            + (scope.FieldSelector is { } fields ? "&fieldSelector=" + Uri.EscapeDataString(fields) : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, $"{collectionPath}?{query}{selectors}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        var response = await client.HttpClient.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        response.Dispose();
        throw new HttpOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {content}")
        {
            Response = new HttpResponseMessageWrapper(response, content),
        };
    }

    private sealed class ItemList
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<T>? Items { get; set; }
    }

    private sealed class RawWatchEvent
    {
        [JsonPropertyName("type")]
        public WatchEventType Type { get; set; }

        [JsonPropertyName("object")]
        public JsonElement Object { get; set; }
    }
}
