using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Namespaces;

/// <summary>
/// Empties Terminating namespaces (upstream pkg/controller/namespace). Keys are namespace names. For a namespace with a
/// deletionTimestamp whose spec.finalizers still holds <c>kubernetes</c>: delete all its content
/// (<see cref="NamespaceContentDeleter"/>), publish progress as status conditions, and while anything remains look again
/// shortly; once it is empty, remove <c>kubernetes</c> through <c>/finalize</c>, after which the API server removes the
/// namespace (when no other finalizer is left).
/// </summary>
internal sealed partial class NamespaceController : QueuedController
{
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>How soon a namespace with content left (terminating pods, finalizers) is looked at again.</summary>
    public static readonly TimeSpan RecheckDelay = TimeSpan.FromSeconds(2);

    private readonly IKubernetes client;
    private readonly NamespaceContentDeleter deleter;
    private Lister<V1Namespace> namespaces = null!;

    public NamespaceController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        deleter = new NamespaceContentDeleter(client);
    }

    public override string Name => "namespace";

    public override void Register(SharedInformerFactory informers) => namespaces = EnqueueNamespaces(informers, client);

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (namespaces.Get(null, key) is not { Metadata.DeletionTimestamp: not null })
        {
            return;
        }
        V1Namespace ns;
        try
        {
            // The cache may lag a finalize we did ourselves; act on the live object, as upstream does.
            ns = await client.CoreV1.ReadNamespaceAsync(key, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return;
        }
        if (ns.Metadata.DeletionTimestamp is null || ns.Spec?.Finalizers?.Contains(KubernetesFinalizer) != true)
        {
            return;
        }
        var report = await deleter.DeleteAllAsync(key, cancellationToken);
        ns = await UpdateConditionsAsync(ns, report, cancellationToken);
        if (!report.IsEmpty)
        {
            LogContentRemaining(Logger, key);
            Queue.AddAfter(key, RecheckDelay);
            return;
        }
        await FinalizeAsync(ns, cancellationToken);
    }

    private async Task<V1Namespace> UpdateConditionsAsync(V1Namespace ns, NamespaceContentReport report, CancellationToken cancellationToken)
    {
        ns.Status ??= new V1NamespaceStatus();
        ns.Status.Conditions ??= [];
        if (!NamespaceDeletionConditions.Update(ns.Status.Conditions, report, NowInSeconds()))
        {
            return ns;
        }
        return await client.CoreV1.ReplaceNamespaceStatusAsync(ns, ns.Metadata.Name, cancellationToken: cancellationToken);
    }

    private async Task FinalizeAsync(V1Namespace ns, CancellationToken cancellationToken)
    {
        ns.Spec.Finalizers = [.. ns.Spec.Finalizers.Where(f => f != KubernetesFinalizer)];
        try
        {
            await client.CoreV1.ReplaceNamespaceFinalizeAsync(ns, ns.Metadata.Name, cancellationToken: cancellationToken);
            LogFinalized(Logger, ns.Metadata.Name);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Already gone.
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "namespace {Namespace}: content remains; checking again shortly")]
    private static partial void LogContentRemaining(ILogger logger, string @namespace);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "namespace {Namespace}: empty, finalized")]
    private static partial void LogFinalized(ILogger logger, string @namespace);
}
