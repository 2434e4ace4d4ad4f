using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.ServiceAccounts;

/// <summary>
/// Ensures every active namespace has the ServiceAccounts in <see cref="Required"/> (upstream
/// pkg/controller/serviceaccount: only "default"). Keys are namespace names: a namespace that appears or changes, and
/// a required ServiceAccount that is deleted, enqueue their namespace. Namespaces that are not Active (terminating)
/// are skipped, so deletion can finish.
/// </summary>
internal sealed partial class ServiceAccountsController : QueuedController
{
    public static readonly IReadOnlyList<string> Required = ["default"];

    private readonly IKubernetes client;
    private Lister<V1Namespace> namespaces = null!;
    private Lister<V1ServiceAccount> serviceAccounts = null!;

    public ServiceAccountsController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
    }

    public override string Name => "serviceaccount";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var saInformer = informers.GetOrAdd(() => ListWatchers.For<V1ServiceAccount>(client));
        namespaces = EnqueueNamespaces(informers, client);
        serviceAccounts = saInformer.Lister;
        saInformer.AddEventHandler(new ResourceEventHandler<V1ServiceAccount>
        {
            OnDelete = sa =>
            {
                if (Required.Contains(sa.Metadata.Name))
                {
                    Queue.Add(sa.Metadata.NamespaceProperty);
                }
            },
        });
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var ns = namespaces.Get(null, key);
        if (ns is null || ns.Status?.Phase is { } phase && phase != "Active")
        {
            return;
        }
        foreach (var name in Required)
        {
            if (serviceAccounts.Get(key, name) is null)
            {
                await CreateAsync(key, name, cancellationToken);
            }
        }
    }

    private async Task CreateAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var sa = new V1ServiceAccount
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        };
        try
        {
            await client.CoreV1.CreateNamespacedServiceAccountAsync(sa, ns, cancellationToken: cancellationToken);
            LogCreated(Logger, ns, name);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e) || ApiErrors.IsNamespaceTerminating(e))
        {
            // Our cache was behind (it exists) or the namespace is going away: nothing to do either way.
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "created ServiceAccount {Namespace}/{Name}")]
    private static partial void LogCreated(ILogger logger, string @namespace, string name);
}
