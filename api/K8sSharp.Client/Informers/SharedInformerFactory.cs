using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Client.Informers;

/// <summary>
/// One informer per resource type per process (client-go's SharedInformerFactory): every controller asking for
/// pods shares one cache and one watch. Register informers with <see cref="GetOrAdd{T}"/> before
/// <see cref="Start"/>; informers added later are started on the next <see cref="Start"/> call.
/// </summary>
public sealed class SharedInformerFactory : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<Type, IInformer> informers = [];
    private readonly Dictionary<Type, Task> running = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly InformerOptions options;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggerFactory;

    public SharedInformerFactory(InformerOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        this.options = options ?? new InformerOptions();
        this.time = time ?? TimeProvider.System;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>The process-wide informer for <typeparamref name="T"/>, created from <paramref name="listWatcher"/> on first use.</summary>
    public Informer<T> GetOrAdd<T>(Func<IListWatcher<T>> listWatcher)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(listWatcher);
        lock (gate)
        {
            if (!informers.TryGetValue(typeof(T), out var informer))
            {
                informer = new Informer<T>(listWatcher(), options, time, loggerFactory.CreateLogger("K8sSharp.Client.Informer." + typeof(T).Name));
                informers[typeof(T)] = informer;
            }
            return (Informer<T>)informer;
        }
    }

    /// <summary>Starts every registered informer not yet running; they stop on <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        lock (gate)
        {
            foreach (var (type, informer) in informers)
            {
                if (!running.ContainsKey(type))
                {
                    running[type] = Task.Run(() => informer.RunAsync(stopping.Token));
                }
            }
        }
    }

    /// <summary>Waits until every registered informer has synced; false when cancelled first (as WaitForCacheSync).</summary>
    public async Task<bool> WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        IInformer[] all;
        lock (gate)
        {
            all = [.. informers.Values];
        }
        while (!all.All(i => i.HasSynced))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        Task[] tasks;
        lock (gate)
        {
            tasks = [.. running.Values];
        }
        await Task.WhenAll(tasks);
        stopping.Dispose();
    }
}
