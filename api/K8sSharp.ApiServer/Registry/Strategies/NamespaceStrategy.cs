using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Namespaces: DNS-1123 label names, the immutable <c>kubernetes.io/metadata.name</c> label, phase Active, and
/// upstream's deletion contract: <c>spec.finalizers</c> always holds <c>kubernetes</c> on create and changes only through
/// <c>/finalize</c> (<see cref="NamespaceFinalizeStrategy"/>); a DELETE turns the namespace Terminating, and it stays
/// stored until the namespace controller (and any other finalizer) has emptied both spec.finalizers and metadata.finalizers.
/// </summary>
internal sealed class NamespaceStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public const string NameLabel = "kubernetes.io/metadata.name";
    public const string KubernetesFinalizer = "kubernetes";

    protected override Func<string, string?> NameRule => Names.Label;

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        EnsureKubernetesFinalizer(obj);
        SetNameLabel(obj);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        CopySpecFinalizers(from: old, to: updated);
        SetNameLabel(updated);
    }

    public override bool HoldsDeletion(JsonObject obj) => SpecFinalizers(obj) is { Count: > 0 };

    public override void PrepareForDelete(JsonObject obj)
    {
        if (obj["status"] is not JsonObject status)
        {
            status = new JsonObject();
            obj["status"] = status;
        }
        status["phase"] = "Terminating";
    }

    public static JsonArray? SpecFinalizers(JsonObject obj) => obj["spec"]?["finalizers"] as JsonArray;

    internal static void CopySpecFinalizers(JsonObject from, JsonObject to)
    {
        var finalizers = SpecFinalizers(from)?.DeepClone();
        if (to["spec"] is not JsonObject spec)
        {
            if (finalizers is null)
            {
                return;
            }
            spec = new JsonObject();
            to["spec"] = spec;
        }
        spec.SetOrRemove("finalizers", finalizers);
    }

    private static void EnsureKubernetesFinalizer(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }
        if (spec["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            spec["finalizers"] = finalizers;
        }
        if (!finalizers.Any(f => (string?)f == KubernetesFinalizer))
        {
            finalizers.Add(KubernetesFinalizer);
        }
    }

    private static void SetNameLabel(JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (metadata["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            metadata["labels"] = labels;
        }
        labels[NameLabel] = obj.Name();
    }
}

/// <summary>
/// Writes through <c>namespaces/{name}/finalize</c>: only <c>spec.finalizers</c> changes, everything else stays as stored.
/// Once a Terminating namespace has neither spec nor metadata finalizers left, the store removes it.
/// </summary>
internal sealed class NamespaceFinalizeStrategy(IResourceStrategy main) : IResourceStrategy
{
    public bool TracksGeneration => false;

    public void PrepareForCreate(JsonObject obj) => main.PrepareForCreate(obj);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var requested = updated.DeepClone().AsObject();
        foreach (var key in updated.Select(p => p.Key).ToList())
        {
            updated.Remove(key);
        }
        foreach (var (key, value) in old)
        {
            updated[key] = value?.DeepClone();
        }
        updated.Metadata().Remove("resourceVersion");
        NamespaceStrategy.CopySpecFinalizers(from: requested, to: updated);
    }

    public IEnumerable<StatusCause> Validate(JsonObject obj) => main.Validate(obj);

    public IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old) => main.ValidateUpdate(updated, old);
}
