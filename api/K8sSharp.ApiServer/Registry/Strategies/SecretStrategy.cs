using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Secrets: <c>type</c> defaults to Opaque and write-only <c>stringData</c> is merged into <c>data</c>; keys are
/// config keys, <c>type</c> never changes and <c>immutable: true</c> freezes <c>data</c> (<c>ValidateSecretUpdate</c>).
/// </summary>
internal sealed class SecretStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        Normalize(obj);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        Normalize(updated);
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj) =>
        base.Validate(obj).Concat(ConfigMapStrategy.ConfigKeys(obj["data"] as JsonObject, "data"));

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var causes = Validate(updated).Concat(ConfigMapStrategy.ImmutableData(updated, old, "data"));
        if (updated.GetString("type") != old.GetString("type"))
        {
            causes = causes.Append(FieldErrors.Immutable("type", updated["type"]));
        }
        return causes;
    }

    private static void Normalize(JsonObject obj)
    {
        if (string.IsNullOrEmpty(obj.GetString("type")))
        {
            obj["type"] = "Opaque";
        }
        if (obj["stringData"] is not JsonObject stringData)
        {
            return;
        }
        if (obj["data"] is not JsonObject data)
        {
            data = new JsonObject();
            obj["data"] = data;
        }
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? string.Empty));
        }
        obj.Remove("stringData");
    }
}
