using System.Collections.Concurrent;
using System.Text.Json.Nodes;
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

    private IStoreHooks? HooksFor(ApiResource resource) => resource switch
    {
        { Group: "", Name: "services" } => new ServiceAllocator(new ClusterIpAllocator(this, ServiceCidr.Default), new NodePortAllocator(storage)),
        { Group: "", Name: "pods" } => new ChainedStoreHooks(new ServiceAccountAdmission(this), new PodPriorityAdmission(this)),
        { Group: "", Name: "persistentvolumeclaims" } => new StorageAdmission(this, claims: true),
        { Group: "", Name: "persistentvolumes" } => new StorageAdmission(this, claims: false),
        _ when authorizer is not null && RbacEscalationAdmission.Handles(resource) => new RbacEscalationAdmission(resource, authorizer, this),
        _ => null,
    };

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
