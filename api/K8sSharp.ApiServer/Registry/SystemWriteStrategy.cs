using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The strategy of the server's own bookkeeping writes (namespace termination, bindings): the mutation is
/// applied exactly as given, with no defaulting, status reset or validation of the kind's strategy.
/// </summary>
internal sealed class SystemWriteStrategy : IResourceStrategy
{
    public static readonly SystemWriteStrategy Instance = new();

    public bool TracksGeneration => false;

    public void PrepareForCreate(JsonObject obj)
    {
    }

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
    }

    public IEnumerable<StatusCause> Validate(JsonObject obj) => [];

    public IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old) => [];
}
