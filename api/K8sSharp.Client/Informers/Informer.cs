using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Cache;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Client.Informers;

/// <summary>What <see cref="SharedInformerFactory"/> needs of an informer of any type.</summary>
public interface IInformer
{
    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Tuning of an <see cref="Informer{T}"/>; the defaults are client-go's.</summary>
public sealed record InformerOptions
{
    /// <summary>Page size of the initial LIST (client-go's reflector uses 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>When set, every cached object is re-delivered as OnUpdate(obj, obj) this often.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>First delay after a failed list or watch; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Watches ask the server to close after a random time in [min, 2·min), as the reflector does.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A reflector, its cache and its handlers for one resource (client-go's shared index informer, simplified):
/// LIST in pages, replace the cache (objects that vanished get OnDelete), then WATCH from the list's
/// resourceVersion with bookmarks. A cleanly closed watch is resumed from the last seen resourceVersion (events or
/// bookmarks); 410 Gone ("too old resource version") or any other failure leads to a relist after an exponential
/// backoff. Handlers run on this loop, in order, never concurrently with each other.
/// </summary>
public sealed partial class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IListWatcher<T> listWatcher;
    private readonly InformerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly object dispatchGate = new();
    private readonly List<ResourceEventHandler<T>> handlers = [];
    private volatile bool hasSynced;
    private volatile string lastResourceVersion = string.Empty;

    public Informer(IListWatcher<T> listWatcher, InformerOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        this.listWatcher = listWatcher ?? throw new ArgumentNullException(nameof(listWatcher));
        this.options = options ?? new InformerOptions();
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        Lister = new Lister<T>(Indexer);
    }

    public Indexer<T> Indexer { get; } = new();

    public Lister<T> Lister { get; }

    /// <summary>True once the first complete LIST has been stored and its OnAdd handlers have run.</summary>
    public bool HasSynced => hasSynced;

    /// <summary>The resourceVersion the cache reflects (from the last list, event or bookmark).</summary>
    public string LastSyncResourceVersion => lastResourceVersion;

    /// <summary>Registers handlers; objects already cached are delivered to the new handler as OnAdd first.</summary>
    public void AddEventHandler(ResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (dispatchGate)
        {
            handlers.Add(handler);
            foreach (var obj in Indexer.List())
            {
                Invoke(handler.OnAdd, obj);
            }
        }
    }

    /// <summary>Lists and watches until cancelled, then returns normally; failures are logged and retried, never thrown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = StartResync(cancellationToken);
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListAsync(cancellationToken);
                backoff.Reset();
                while (!await WatchOnceAsync(cancellationToken))
                {
                }
                LogRelist(logger, typeof(T).Name, lastResourceVersion);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var delay = backoff.Next();
                LogFailure(logger, typeof(T).Name, delay, e);
                await DelayAsync(delay, cancellationToken);
            }
        }
    }

    /// <summary>Reads every page, then replaces the cache with the result in one step.</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await listWatcher.ListAsync(options.PageSize, continueToken, cancellationToken);
            items.AddRange(page.Items);
            resourceVersion = page.ResourceVersion;
            continueToken = page.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));
        Replace(items, resourceVersion);
    }

    private void Replace(List<T> items, string resourceVersion)
    {
        lock (dispatchGate)
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var obj in items)
            {
                listed.Add(ObjectKeys.For(obj));
                Store(obj);
            }
            foreach (var key in Indexer.Keys().Where(k => !listed.Contains(k)))
            {
                // Tombstone: deleted while we were not watching; the last known state is all we have.
                if (Indexer.Remove(key) is { } gone)
                {
                    Dispatch(h => Invoke(h.OnDelete, gone));
                }
            }
            lastResourceVersion = resourceVersion;
            hasSynced = true;
        }
    }

    /// <summary>One watch request. Returns true when the caller must relist (410 Gone), false to re-watch.</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        Exception? error = null;
        var started = time.GetTimestamp();
        var events = 0;
        var timeout = (int)(options.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        try
        {
            await foreach (var (type, obj) in listWatcher.WatchAsync(lastResourceVersion, timeout, e => error ??= e, cancellationToken))
            {
                events++;
                Apply(type, obj);
            }
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.Gone)
        {
            return true;
        }
        if (error is KubernetesException { Status.Code: 410 })
        {
            return true;
        }
        if (error is not null)
        {
            throw new InvalidOperationException("watch failed: " + error.Message, error);
        }
        if (events == 0 && time.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("very short watch: closed in under a second with no events");
        }
        return false;
    }

    private void Apply(WatchEventType type, T obj)
    {
        lock (dispatchGate)
        {
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    Store(obj);
                    break;
                case WatchEventType.Deleted:
                    var old = Indexer.Remove(ObjectKeys.For(obj));
                    if (old is not null)
                    {
                        Dispatch(h => Invoke(h.OnDelete, obj));
                    }
                    break;
                case WatchEventType.Bookmark:
                    break;
                default:
                    return;
            }
            if (obj.Metadata?.ResourceVersion is { Length: > 0 } rv)
            {
                lastResourceVersion = rv;
            }
        }
    }

    private void Store(T obj)
    {
        var old = Indexer.Upsert(obj);
        if (old is null)
        {
            Dispatch(h => Invoke(h.OnAdd, obj));
        }
        else
        {
            Dispatch(h => Invoke(h.OnUpdate, old, obj));
        }
    }

    private IDisposable? StartResync(CancellationToken cancellationToken)
    {
        if (options.ResyncPeriod is not { } period)
        {
            return null;
        }
        return time.CreateTimer(_ => Resync(cancellationToken), null, period, period);
    }

    private void Resync(CancellationToken cancellationToken)
    {
        lock (dispatchGate)
        {
            if (cancellationToken.IsCancellationRequested || !hasSynced)
            {
                return;
            }
            foreach (var obj in Indexer.List())
            {
                Dispatch(h => Invoke(h.OnUpdate, obj, obj));
            }
        }
    }

    private void Dispatch(Action<ResourceEventHandler<T>> call)
    {
        foreach (var handler in handlers)
        {
            call(handler);
        }
    }

    private void Invoke(Action<T>? callback, T obj)
    {
        try
        {
            callback?.Invoke(obj);
        }
        catch (Exception e)
        {
            LogHandlerFailure(logger, typeof(T).Name, e);
        }
    }

    private void Invoke(Action<T, T>? callback, T old, T obj)
    {
        try
        {
            callback?.Invoke(old, obj);
        }
        catch (Exception e)
        {
            LogHandlerFailure(logger, typeof(T).Name, e);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Kind} informer: relisting (watch expired at resourceVersion {ResourceVersion})")]
    private static partial void LogRelist(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Kind} informer: list/watch failed; retrying in {Delay}")]
    private static partial void LogFailure(ILogger logger, string kind, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "{Kind} informer: an event handler threw")]
    private static partial void LogHandlerFailure(ILogger logger, string kind, Exception exception);
}
