using k8s;
using k8s.Models;

namespace K8sSharp.Client.Informers;

/// <summary>One page of a LIST: the items, the list's resourceVersion and the continue token ("" or null at the end).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

/// <summary>
/// The two calls a reflector needs for one resource (client-go's ListerWatcher). <see cref="ListAsync"/> gets one page
/// (<c>limit</c>/<c>continue</c>); <see cref="WatchAsync"/> streams changes after <c>resourceVersion</c> with bookmarks
/// allowed. Watch ERROR events (e.g. 410 Expired) arrive through <c>onError</c> as <see cref="KubernetesException"/>;
/// HTTP failures surface as exceptions from either call.
/// </summary>
public interface IListWatcher<T>
{
    Task<ListPage<T>> ListAsync(int limit, string? continueToken, CancellationToken cancellationToken);

    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);
}

/// <summary>Adapts a typed list call and a typed watch call of the KubernetesClient package to <see cref="IListWatcher{T}"/>.</summary>
public sealed class ListWatcher<T, TList> : IListWatcher<T>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    /// <summary>List call: (limit, continue token, cancellation) → list.</summary>
    public delegate Task<TList> ListCall(int limit, string? continueToken, CancellationToken cancellationToken);

    /// <summary>Watch call: (resourceVersion, timeoutSeconds, onError, cancellation) → event stream; must set allowWatchBookmarks.</summary>
    public delegate IAsyncEnumerable<(WatchEventType, T)> WatchCall(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

    private readonly ListCall list;
    private readonly WatchCall watch;

    public ListWatcher(ListCall list, WatchCall watch)
    {
        this.list = list ?? throw new ArgumentNullException(nameof(list));
        this.watch = watch ?? throw new ArgumentNullException(nameof(watch));
    }

    public async Task<ListPage<T>> ListAsync(int limit, string? continueToken, CancellationToken cancellationToken)
    {
        var result = await list(limit, continueToken, cancellationToken);
        return new ListPage<T>([.. result.Items ?? []], result.Metadata?.ResourceVersion ?? string.Empty, result.Metadata?.ContinueProperty);
    }

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        watch(resourceVersion, timeoutSeconds, onError, cancellationToken);
}
