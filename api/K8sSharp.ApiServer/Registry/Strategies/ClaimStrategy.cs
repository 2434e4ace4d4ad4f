using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// PersistentVolumeClaims and PersistentVolumes: storage defaults (volume mode Filesystem, reclaim policy Retain)
/// and the initial phase upstream's strategies set (claims and volumes start Pending).
/// </summary>
internal sealed class ClaimStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        Apply(obj);
        obj["status"] = new JsonObject { ["phase"] = "Pending" };
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        Apply(updated);
    }

    private void Apply(JsonObject obj)
    {
        if (Resource.Name == "persistentvolumes")
        {
            ClaimDefaults.PersistentVolume(obj);
        }
        else
        {
            ClaimDefaults.PersistentVolumeClaim(obj);
        }
    }
}
