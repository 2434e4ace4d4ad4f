using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// The ServiceAccount admission plugin for new pods (upstream's plugin/pkg/admission/serviceaccount): the pod's
/// ServiceAccount must exist (else 403 "error looking up service account ns/name: serviceaccount "name" not found"),
/// and when the account sets <c>automountServiceAccountToken: false</c> and the pod does not say otherwise, the
/// <c>kube-api-access-*</c> volume the pod strategy mounted is taken away again (the pod's own setting wins).
/// Mirror pods (static pods the kubelet reports) are left alone, as upstream does. One deliberate difference: a
/// missing <c>default</c> account is admitted (upstream waits about 2 s for the ServiceAccounts controller to create
/// it, then fails), so a pod created right after its namespace, or on a server without a controller manager, is not
/// refused for an account that is about to exist. That
/// <c>spec.serviceAccountName</c> cannot change is the pod update validation's business.
/// </summary>
internal sealed class ServiceAccountAdmission(StoreRegistry registry) : IStoreHooks
{
    private const string MirrorAnnotation = "kubernetes.io/config.mirror";
    private const string DefaultAccount = "default";
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        if (obj["spec"] is not JsonObject spec || obj["metadata"]?["annotations"]?[MirrorAnnotation] is not null)
        {
            return Nothing;
        }
        var ns = obj.Namespace() ?? "";
        var name = (string?)spec["serviceAccountName"] is { Length: > 0 } given ? given : "default";
        var account = await FindAsync(ns, name, ct);
        if (account is null)
        {
            return name == DefaultAccount
                ? Nothing
                : throw ApiException.Forbidden($"pods \"{obj.Name()}\" is forbidden: error looking up service account {ns}/{name}: serviceaccount \"{name}\" not found");
        }
        if (spec["automountServiceAccountToken"] is null && account["automountServiceAccountToken"] is JsonValue automount
            && automount.TryGetValue<bool>(out var mount) && !mount)
        {
            PodAdmissionDefaults.RemoveApiAccessVolume(spec);
        }
        return Nothing;
    }

    public Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct) => Task.FromResult(Nothing);

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private async Task<JsonObject?> FindAsync(string ns, string name, CancellationToken ct)
    {
        var store = registry.For(registry.Catalog.Find("", "v1", "serviceaccounts")!);
        if (store.TryGetCached(ns, name) is { } cached)
        {
            return cached;
        }
        try
        {
            return await store.GetAsync(ns, name, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
