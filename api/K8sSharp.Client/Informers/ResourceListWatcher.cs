using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Dynamic;

namespace K8sSharp.Client.Informers;

/// <summary>What to list and watch: an optional namespace (null: all namespaces, or a cluster-scoped kind) and selectors.</summary>
public sealed record ListScope(string? Namespace = null, string? LabelSelector = null, string? FieldSelector = null);

/// <summary>
/// <see cref="IListWatcher{T}"/> for any resource: LIST <c>/api(s)/…/[namespaces/ns/]plural?limit&amp;continue</c> and
/// WATCH with <c>allowWatchBookmarks</c>, both with the scope's selectors. For a built-in kind the resource comes from the
/// <see cref="KubernetesEntityAttribute"/> of <typeparamref name="T"/>; for anything else (e.g.
/// <see cref="PartialObjectMetadata"/> of a discovered resource) it is given. One class instead of a typed block per kind;
/// requests go through the client's own HTTP pipeline and credentials, so they authenticate as its other calls do.
/// </summary>
public sealed class ResourceListWatcher<T> : IListWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Kubernetes client;
    private readonly string collectionPath;
    private readonly ListScope scope;
    private readonly string accept;

    public ResourceListWatcher(IKubernetes client, ListScope? scope = null)
        : this(client, GroupVersionResource.Of<T>(), scope)
    {
    }

    /// <param name="accept">The Accept header of lists and watches, e.g. one asking for PartialObjectMetadata.</param>
    public ResourceListWatcher(IKubernetes client, GroupVersionResource resource, ListScope? scope = null, string accept = ApiRequests.Json)
    {
        ArgumentNullException.ThrowIfNull(resource);
        this.client = ApiRequests.RequireHttpClient(client);
        this.scope = scope ?? new ListScope();
        this.accept = accept;
        collectionPath = resource.CollectionPath(this.scope.Namespace);
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

    private Task<HttpResponseMessage> SendAsync(string query, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var selectors = (scope.LabelSelector is { } labels ? "&labelSelector=" + Uri.EscapeDataString(labels) : "")
            + (scope.FieldSelector is { } fields ? "&fieldSelector=" + Uri.EscapeDataString(fields) : "");
        return ApiRequests.SendAsync(client, HttpMethod.Get, $"{collectionPath}?{query}{selectors}", null, accept, completion, cancellationToken);
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
