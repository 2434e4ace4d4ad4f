using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// metav1.DeleteOptions from the body (JSON or protobuf, as helm sends it) and the query string; the body wins
/// where both speak, as upstream decodes the query into the same struct first.
/// </summary>
internal static class DeleteOptionsReader
{
    public static async Task<DeleteRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var body = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
            ? null
            : (await BodyReader.ReadAsync(request, ct)).Node as JsonObject;
        var dryRun = request.IsDryRun() || body?["dryRun"] is JsonArray { Count: > 0 } values && CheckDryRun(values);
        var grace = (long?)body?["gracePeriodSeconds"] ?? request.GetLong("gracePeriodSeconds");
        if (grace < 0)
        {
            grace = 0;
        }
        var policy = (string?)body?["propagationPolicy"] ?? request.Get("propagationPolicy");
        if (policy is not null and not "Background" and not "Foreground" and not "Orphan")
        {
            throw ApiException.BadRequest($"DeleteOptions.propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }
        var orphan = (bool?)body?["orphanDependents"] ?? ParseBool(request.Get("orphanDependents"));
        if (orphan is not null && policy is not null)
        {
            throw ApiException.Invalid("meta.k8s.io", "DeleteOptions", string.Empty,
                [new StatusCause("FieldValueInvalid", "OrphanDependents and DeletionPropagation cannot be both set", "propagationPolicy")]);
        }
        var preconditions = body?["preconditions"] as JsonObject;
        return new DeleteRequest(dryRun, grace, (string?)preconditions?["uid"], (string?)preconditions?["resourceVersion"], policy, orphan);
    }

    private static bool? ParseBool(string? value) => value switch
    {
        null or "" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw ApiException.BadRequest($"invalid orphanDependents value: {value}"),
    };

    private static bool CheckDryRun(JsonArray values) =>
        values.All(v => (string?)v == "All") ? true : throw ApiException.BadRequest("Invalid dryRun value; only \"All\" is supported");
}
