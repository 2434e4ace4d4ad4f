using System.Text.Json.Nodes;
using K8sSharp.Api.Apply;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

internal sealed partial class ResourceHandler
{
    /// <summary>
    /// Server-side apply: PATCH <c>application/apply-patch+yaml</c> with a required <c>fieldManager</c> and optional
    /// <c>force</c>. An existing object is updated through the store's guaranteed update (200); a missing one is
    /// created through the ordinary create path (201). Conflicts answer 409 with FieldManagerConflict causes.
    /// </summary>
    private async Task ApplyAsync(HttpContext context, ResourceStore store, string? ns, string name, IResourceStrategy strategy, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        if (string.IsNullOrEmpty(context.Request.Get("fieldManager")))
        {
            throw ApiException.Invalid("meta.k8s.io", "PatchOptions", "", [new StatusCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]);
        }
        var manager = context.Request.FieldManager();
        var force = context.Request.GetBool("force");
        var dryRun = context.Request.IsDryRun();
        var applied = await ReadAppliedAsync(context, store, ns, name, ct);
        try
        {
            var updated = await store.GuaranteedUpdateAsync(ns, name, 0, dryRun, strategy, current =>
            {
                if (applied.ResourceVersion() is { Length: > 0 } pinned && pinned != current.ResourceVersion())
                {
                    throw ApiException.StaleObject(store.Resource.Group, store.Resource.Name, name);
                }
                return RunApply(current, applied, manager, force, store.FieldManagerContext(strategy));
            }, ct);
            await ResponseWriter.WriteAsync(context, 200, updated, output.Format, ct);
        }
        catch (ApiException e) when (e.Code == 404 && e.Reason == "NotFound" && strategy is not StatusStrategy && e.Details?["name"]?.GetValue<string>() == name)
        {
            var obj = RunApply(null, applied, manager, force, store.FieldManagerContext(strategy));
            obj.Metadata().Remove("resourceVersion");
            var created = await store.CreateAsync(ns, obj, new WriteOptions(dryRun, FieldManager: null), ct);
            await ResponseWriter.WriteAsync(context, 201, created, output.Format, ct);
        }
    }

    /// <summary>The applied configuration: one object of the URL's kind and name, without managedFields, validated.</summary>
    private async Task<JsonObject> ReadAppliedAsync(HttpContext context, ResourceStore store, string? ns, string name, CancellationToken ct)
    {
        var body = await BodyReader.ReadAsync(context.Request, ct);
        var applied = body.Node as JsonObject ?? throw ApiException.BadRequest("error decoding YAML: the applied configuration must be an object");
        var expected = store.Resource.Gvk;
        var apiVersion = applied.GetStringOrNull("apiVersion");
        if (apiVersion != expected.ApiVersion)
        {
            throw ApiException.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {expected.ApiVersion}");
        }
        if (applied.GetStringOrNull("kind") is not { Length: > 0 } kind)
        {
            throw ApiException.BadRequest($"Object 'Kind' is missing in '{applied.ToJsonString()}'");
        }
        if (kind != expected.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expected.Kind})");
        }
        var metadata = applied.Metadata();
        if (metadata.ContainsKey("managedFields"))
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }
        if (applied.Name() is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        metadata["name"] = name;
        if (store.Resource.Namespaced && applied.Namespace() is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        decoder.Validate(context, applied, expected, body.Duplicates);
        return applied;
    }

    private static JsonObject RunApply(JsonObject? live, JsonObject applied, string manager, bool force, FieldManagerContext fieldContext)
    {
        try
        {
            return ServerSideApply.Apply(live, applied, manager, force, fieldContext).Object;
        }
        catch (ApplyConflictException e)
        {
            throw ConflictError(e);
        }
        catch (ApplyException e)
        {
            throw ApiException.InternalError(e.Message);
        }
    }

    /// <summary>Upstream's <c>NewApplyConflict</c>: 409 Conflict whose details carry only the causes.</summary>
    private static ApiException ConflictError(ApplyConflictException e)
    {
        var causes = e.Conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {c.Manager}",
            ["field"] = c.Field,
        }).ToArray();
        return new ApiException(409, "Conflict", e.Message, new JsonObject { ["causes"] = new JsonArray(causes) });
    }
}
