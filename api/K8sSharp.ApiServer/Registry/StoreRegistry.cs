using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using K8sSharp.Api.Quota;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Admission;
using K8sSharp.ApiServer.Registry.Allocation;
using K8sSharp.ApiServer.Registry.Conversion;
using K8sSharp.ApiServer.Registry.Strategies;
using K8sSharp.ApiServer.Security.Authorization;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

/// <summary>One <see cref="ResourceStore"/> per served resource, all over the same storage.</summary>
/// <param name="authorizer">The RBAC authorizer for RBAC's escalation checks, resolved late (it reads roles from this
/// registry); null serves RBAC objects without them (tests of the registry alone).</param>
internal sealed class StoreRegistry(ApiCatalog catalog, IStorage storage, TimeProvider time, Func<RbacAuthorizer>? authorizer = null)
{
    private readonly ConcurrentDictionary<ApiResource, ResourceStore> stores = new();

    public ApiCatalog Catalog { get; } = catalog;

    public ResourceStore For(ApiResource resource) =>
        stores.GetOrAdd(resource, r => new ResourceStore(r, StrategyFactory.For(r), storage, time, GetNamespaceAsync, StorageLayout.For(r, Catalog))
        {
            Hooks = HooksFor(r),
        });

    /// <summary>The raw storage, for allocations kept outside any resource (node ports).</summary>
    public IStorage Storage => storage;

    /// <summary>
    /// A kind's admission chain and store decorators, in upstream's plugin order: LimitRanger first (so quota sees
    /// defaulted pods), the kind's own plugins, ResourceQuota last among admission; allocations run after admission.
    /// </summary>
    private IStoreHooks? HooksFor(ApiResource resource)
    {
        var quota = resource.Namespaced && QuotaEvaluators.For(resource.Group, resource.Name) is { } evaluator
            ? new ResourceQuotaAdmission(this, resource, evaluator, time)
            : null;
        IStoreHooks?[] chain = resource switch
        {
            { Group: "", Name: "services" } => [quota, new ServiceAllocator(new ClusterIpAllocator(this, ServiceCidr.Default), new NodePortAllocator(storage))],
            { Group: "", Name: "pods" } => [new LimitRangerAdmission(this, pods: true), new ServiceAccountAdmission(this), new PodPriorityAdmission(this), quota],
            { Group: "", Name: "persistentvolumeclaims" } => [new LimitRangerAdmission(this, pods: false), new StorageAdmission(this, claims: true), quota],
            { Group: "", Name: "persistentvolumes" } => [new StorageAdmission(this, claims: false)],
            _ when authorizer is not null && RbacEscalationAdmission.Handles(resource) => [new RbacEscalationAdmission(resource, authorizer, this), quota],
            _ => [quota],
        };
        var hooks = chain.OfType<IStoreHooks>().ToArray();
        return hooks.Length switch
        {
            0 => null,
            1 => hooks[0],
            _ => new ChainedStoreHooks(hooks),
        };
    }

    public ResourceStore Namespaces => For(Catalog.Find("", "v1", "namespaces")!);

    /// <summary>The namespace check of every namespaced create: the watch cache first, the storage on a miss.</summary>
    private async Task<JsonObject?> GetNamespaceAsync(string name, CancellationToken ct)
    {
        if (Namespaces.TryGetCached(null, name) is { } cached)
        {
            return cached;
        }
        try
        {
            return await Namespaces.GetAsync(null, name, ct);
        }
        catch (K8sSharp.Api.Meta.ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
