namespace K8sSharp.Client.Informers;

/// <summary>
/// Callbacks an informer raises after its cache changed (client-go's ResourceEventHandlerFuncs). They run on the
/// informer's loop, one at a time and in order, so they must be quick: the usual body enqueues a key.
/// <see cref="OnUpdate"/> also fires with old == new on periodic resync. <see cref="OnDelete"/> receives the last
/// known state, which after a relist may be stale (the tombstone case: the object vanished while unwatched).
/// </summary>
public sealed class ResourceEventHandler<T>
{
    public Action<T>? OnAdd { get; init; }

    public Action<T, T>? OnUpdate { get; init; }

    public Action<T>? OnDelete { get; init; }
}
