using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>Secrets: <c>type</c> defaults to Opaque and write-only <c>stringData</c> is merged into <c>data</c>.</summary>
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
