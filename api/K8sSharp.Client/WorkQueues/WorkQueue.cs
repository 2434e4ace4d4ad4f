namespace K8sSharp.Client.WorkQueues;

/// <summary>
/// A rate-limited, de-duplicating queue of keys with client-go's workqueue semantics:
/// <list type="bullet">
/// <item>a key queued several times before a worker takes it is handed out once (dirty set);</item>
/// <item>a key being processed is never handed to a second worker; if it is added again meanwhile it is queued
/// again only when the first worker calls <see cref="Done"/> (processing set);</item>
/// <item><see cref="AddAfter"/> delays a key on the injected <see cref="TimeProvider"/>; of several pending delays for one
/// key the earliest wins; <see cref="AddRateLimited"/> delays by the key's exponential backoff, <see cref="Forget"/> resets it;</item>
/// <item>after <see cref="ShutDown"/> new adds are ignored, queued keys are still handed out, and <see cref="GetAsync"/>
/// returns null once the queue is empty.</item>
/// </list>
/// Every worker must call <see cref="Done"/> for each key it got.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly object gate = new();
    private readonly Queue<string> queue = new();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> waiting = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource> getters = [];
    private readonly TimeProvider time;
    private readonly ItemExponentialRateLimiter rateLimiter;
    private bool shuttingDown;

    public WorkQueue(TimeProvider? time = null, ItemExponentialRateLimiter? rateLimiter = null)
    {
        this.time = time ?? TimeProvider.System;
        this.rateLimiter = rateLimiter ?? new ItemExponentialRateLimiter();
    }

    /// <summary>Keys queued and not yet handed out (keys in flight or waiting on a delay are not counted).</summary>
    public int Length
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (gate)
            {
                return shuttingDown;
            }
        }
    }

    public void Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            if (shuttingDown || !dirty.Add(key) || processing.Contains(key))
            {
                return;
            }
            queue.Enqueue(key);
            WakeGetters();
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; a non-positive delay adds at once.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }
            var due = time.GetUtcNow() + delay;
            if (waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }
                pending.Timer.Dispose();
            }
            var timer = time.CreateTimer(_ => Fire(key), null, delay, Timeout.InfiniteTimeSpan);
            waiting[key] = (due, timer);
        }
    }

    /// <summary>Adds <paramref name="key"/> after its per-item backoff, which grows with each call until <see cref="Forget"/>.</summary>
    public void AddRateLimited(string key) => AddAfter(key, rateLimiter.When(key));

    /// <summary>Resets the backoff of <paramref name="key"/> (call after it was processed successfully).</summary>
    public void Forget(string key) => rateLimiter.Forget(key);

    /// <summary>How many times <paramref name="key"/> has been rate-limited since it was last forgotten.</summary>
    public int NumRequeues(string key) => rateLimiter.NumRequeues(key);

    /// <summary>Waits for a key; null means the queue was shut down and is drained, so the worker should exit.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TaskCompletionSource signal;
            lock (gate)
            {
                if (queue.TryDequeue(out var key))
                {
                    dirty.Remove(key);
                    processing.Add(key);
                    return key;
                }
                if (shuttingDown)
                {
                    return null;
                }
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                getters.Add(signal);
            }
            try
            {
                await signal.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                lock (gate)
                {
                    getters.Remove(signal);
                }
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> as finished; if it was added while in flight it is queued again now.</summary>
    public void Done(string key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Contains(key))
            {
                queue.Enqueue(key);
                WakeGetters();
            }
        }
    }

    /// <summary>Stops accepting keys, drops pending delays and lets idle getters return null.</summary>
    public void ShutDown()
    {
        lock (gate)
        {
            shuttingDown = true;
            foreach (var (_, pending) in waiting)
            {
                pending.Timer.Dispose();
            }
            waiting.Clear();
            WakeGetters();
        }
    }

    public void Dispose() => ShutDown();

    private void Fire(string key)
    {
        lock (gate)
        {
            if (!waiting.Remove(key, out var pending))
            {
                return;
            }
            pending.Timer.Dispose();
        }
        Add(key);
    }

    // Wakes every idle getter: each re-checks the queue under the lock, so a getter cancelled at the same moment
    // cannot swallow the only wake-up.
    private void WakeGetters()
    {
        foreach (var getter in getters)
        {
            getter.TrySetResult();
        }
        getters.Clear();
    }
}
