using K8sSharp.Client.Informers;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// One controller of the manager. <see cref="Register"/> runs before the shared informers start (it asks the factory
/// for the informers it needs and adds its handlers, which only enqueue keys); <see cref="RunAsync"/> runs the
/// workers after the caches synced, until cancelled (leadership lost or process stopping).
/// </summary>
internal interface IController
{
    string Name { get; }

    void Register(SharedInformerFactory informers);

    Task RunAsync(int workers, CancellationToken cancellationToken);
}
