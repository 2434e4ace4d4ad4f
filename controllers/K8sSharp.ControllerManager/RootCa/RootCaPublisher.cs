using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.RootCa;

/// <summary>
/// Publishes the cluster CA into every namespace as ConfigMap <c>kube-root-ca.crt</c> (upstream
/// pkg/controller/certificates/rootcacertpublisher): key <c>ca.crt</c> holds the PEM bundle, and the
/// <c>kubernetes.io/description</c> annotation says what it is for. Edits to the data or the annotation are reverted,
/// a deleted ConfigMap is recreated; other keys and labels a user added are dropped/kept as upstream (data replaced,
/// metadata otherwise kept). Keys are namespace names.
/// </summary>
internal sealed partial class RootCaPublisher : QueuedController
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DataKey = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";
    public const string Description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
        + "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly IKubernetes client;
    private readonly string caBundle;
    private Lister<V1Namespace> namespaces = null!;
    private Lister<V1ConfigMap> configMaps = null!;

    public RootCaPublisher(IKubernetes client, string caBundle, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.caBundle = caBundle;
    }

    public override string Name => "root-ca-cert-publisher";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var cmInformer = informers.GetOrAdd(() => ListWatchers.For<V1ConfigMap>(client));
        namespaces = EnqueueNamespaces(informers, client);
        configMaps = cmInformer.Lister;
        cmInformer.AddEventHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnUpdate = (_, cm) => EnqueueIfOurs(cm),
            OnDelete = EnqueueIfOurs,
        });
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var ns = namespaces.Get(null, key);
        if (ns is null || ns.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        var existing = configMaps.Get(key, ConfigMapName);
        if (existing is null)
        {
            await CreateAsync(key, cancellationToken);
            return;
        }
        if (IsCurrent(existing))
        {
            return;
        }
        // Lister objects are shared: change a copy. The resourceVersion read makes a concurrent edit a 409 (retried).
        var update = KubernetesJson.Deserialize<V1ConfigMap>(KubernetesJson.Serialize(existing));
        update.Data = new Dictionary<string, string> { [DataKey] = caBundle };
        update.BinaryData = null;
        update.Metadata.Annotations ??= new Dictionary<string, string>();
        update.Metadata.Annotations[DescriptionAnnotation] = Description;
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(update, ConfigMapName, key, cancellationToken: cancellationToken);
        LogRestored(Logger, key);
    }

    private bool IsCurrent(V1ConfigMap cm) =>
        cm.Data is { Count: 1 } data && data.TryGetValue(DataKey, out var ca) && ca == caBundle
        && cm.BinaryData is not { Count: > 0 }
        && cm.Metadata.Annotations is { } annotations
        && annotations.TryGetValue(DescriptionAnnotation, out var description) && description == Description;

    private async Task CreateAsync(string ns, CancellationToken cancellationToken)
    {
        var cm = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName,
                NamespaceProperty = ns,
                Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description },
            },
            Data = new Dictionary<string, string> { [DataKey] = caBundle },
        };
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns, cancellationToken: cancellationToken);
            LogCreated(Logger, ns);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e) || ApiErrors.IsNamespaceTerminating(e))
        {
            // Cache behind (the informer will deliver it and we compare then), or the namespace is going away.
        }
    }

    private void EnqueueIfOurs(V1ConfigMap cm)
    {
        if (cm.Metadata.Name == ConfigMapName)
        {
            Queue.Add(cm.Metadata.NamespaceProperty);
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "published the root CA to {Namespace}/kube-root-ca.crt")]
    private static partial void LogCreated(ILogger logger, string @namespace);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "restored {Namespace}/kube-root-ca.crt after it was edited")]
    private static partial void LogRestored(ILogger logger, string @namespace);
}
