using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// <c>POST serviceaccounts/{name}/token</c> (TokenRequest, <c>kubectl create token</c>), as upstream's
/// <c>pkg/registry/core/serviceaccount/storage/token.go</c>: defaults <c>spec.expirationSeconds</c> to 3600 (at
/// least 600, at most 2^32) and <c>spec.audiences</c> to the issuer, binds the token to a Pod, Secret or Node named
/// by <c>spec.boundObjectRef</c> (checking its uid when given), and answers 201 with the request plus
/// <c>status.token</c> and <c>status.expirationTimestamp</c>. Nothing is stored.
/// </summary>
internal sealed class TokenRequestHandler(ObjectDecoder decoder, StoreRegistry registry, ServiceAccountTokens tokens, TimeProvider time)
{
    private const string Group = "authentication.k8s.io";
    private static readonly GroupVersionKind TokenRequestKind = new(Group, "v1", "TokenRequest");
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;

    public async Task HandleAsync(HttpContext context, ResourceStore serviceAccounts, string ns, string name, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var request = await decoder.DecodeAsync(context, TokenRequestKind, ct);
        var spec = Defaulted(request, name);
        var serviceAccount = await serviceAccounts.GetAsync(ns, name, ct);
        var bound = await BindAsync(spec["boundObjectRef"] as JsonObject, ns, ct);
        var now = time.GetUtcNow();
        var expiration = (long)spec["expirationSeconds"]!;
        var audiences = spec["audiences"]!.AsArray().Select(a => (string)a!).ToList();
        request["status"] = new JsonObject
        {
            ["token"] = tokens.Issue(serviceAccount, bound, audiences, expiration, now),
            ["expirationTimestamp"] = ObjectMeta.FormatTime(now.AddSeconds(expiration)),
        };
        await ResponseWriter.WriteAsync(context, 201, request, output.Format, ct);
    }

    /// <summary>Checks the name and the expiration and fills the defaults; returns the spec.</summary>
    private static JsonObject Defaulted(JsonObject request, string name)
    {
        var causes = new List<StatusCause>();
        if (request.Name() is { Length: > 0 } bodyName && bodyName != name)
        {
            causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{bodyName}\": must match the service account name if specified", "metadata.name"));
        }
        var spec = request["spec"] as JsonObject ?? new JsonObject();
        request["spec"] = spec;
        var expiration = spec["expirationSeconds"] is JsonValue value && value.TryGetValue<long>(out var seconds) ? seconds : DefaultExpirationSeconds;
        spec["expirationSeconds"] = expiration;
        if (expiration < MinExpirationSeconds)
        {
            causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {expiration}: may not specify a duration less than 10 minutes", "spec.expirationSeconds"));
        }
        else if (expiration > MaxExpirationSeconds)
        {
            causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {expiration}: may not specify a duration larger than 2^32 seconds", "spec.expirationSeconds"));
        }
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(Group, "TokenRequest", name, causes);
        }
        if (spec["audiences"] is not JsonArray { Count: > 0 })
        {
            spec["audiences"] = new JsonArray(ServiceAccountTokens.Issuer);
        }
        return spec;
    }

    /// <summary>The objects the token is bound to: none, a Pod (with its node when scheduled), a Secret or a Node.</summary>
    private async Task<BoundObjects> BindAsync(JsonObject? reference, string ns, CancellationToken ct)
    {
        if (reference is null)
        {
            return BoundObjects.None;
        }
        var kind = reference.GetString("kind");
        var name = reference.GetString("name") ?? string.Empty;
        switch (kind)
        {
            case "Pod":
                var pod = await GetBoundAsync("pods", ns, name, reference, ct);
                return new BoundObjects(Pod: ClaimRef.Of(pod), Node: await NodeOfAsync(pod, ct));
            case "Secret":
                return new BoundObjects(Secret: ClaimRef.Of(await GetBoundAsync("secrets", ns, name, reference, ct)));
            case "Node":
                return new BoundObjects(Node: ClaimRef.Of(await GetBoundAsync("nodes", null, name, reference, ct)));
            default:
                throw ApiException.BadRequest($"cannot bind token to object of type {reference.GetString("apiVersion")}, Kind={kind}");
        }
    }

    private async Task<JsonObject> GetBoundAsync(string resource, string? ns, string name, JsonObject reference, CancellationToken ct)
    {
        var obj = await registry.For(registry.Catalog.Find("", "v1", resource)!).GetAsync(ns, name, ct);
        if (reference.GetString("uid") is { Length: > 0 } uid && uid != obj.Uid())
        {
            throw ApiException.Conflict("", reference.GetString("kind")!, name,
                $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }
        return obj;
    }

    /// <summary>The node a bound pod is scheduled to, named in the token for information; null when unscheduled or unknown.</summary>
    private async Task<ClaimRef?> NodeOfAsync(JsonObject pod, CancellationToken ct)
    {
        if (pod["spec"]?["nodeName"] is not JsonValue value || !value.TryGetValue<string>(out var nodeName) || nodeName.Length == 0)
        {
            return null;
        }
        try
        {
            return ClaimRef.Of(await registry.For(registry.Catalog.Find("", "v1", "nodes")!).GetAsync(null, nodeName, ct));
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
