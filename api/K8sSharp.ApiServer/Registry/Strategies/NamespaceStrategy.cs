using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>Namespaces: DNS-1123 label names, the immutable <c>kubernetes.io/metadata.name</c> label, phase Active.</summary>
internal sealed class NamespaceStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    protected override Func<string, string?> NameRule => Names.Label;

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        SetNameLabel(obj);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        SetNameLabel(updated);
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
