using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Security.Authorization;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// The create-only review resources (<c>kubectl auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>,
/// TokenReview): computed per request and never stored, as upstream. Access reviews ask the RBAC authorizer about
/// the caller (self reviews) or about the user in the spec (SubjectAccessReview, LocalSubjectAccessReview).
/// TokenReview checks service-account tokens exactly as bearer authentication does, for the audiences in
/// <c>spec.audiences</c> (default: the issuer).
/// </summary>
internal sealed class ReviewHandler(ObjectDecoder decoder, ServiceAccountTokens tokens, RbacAuthorizer authorizer)
{
    private static readonly HashSet<(string Group, string Name)> Reviews =
    [
        ("authorization.k8s.io", "selfsubjectaccessreviews"),
        ("authorization.k8s.io", "subjectaccessreviews"),
        ("authorization.k8s.io", "localsubjectaccessreviews"),
        ("authorization.k8s.io", "selfsubjectrulesreviews"),
        ("authentication.k8s.io", "selfsubjectreviews"),
        ("authentication.k8s.io", "tokenreviews"),
    ];

    public static bool Handles(ApiResource resource) => Reviews.Contains((resource.Group, resource.Name));

    public async Task HandleAsync(HttpContext context, ApiResource resource, string verb, CancellationToken ct)
    {
        if (verb != "create")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var review = await decoder.DecodeAsync(context, resource.Gvk, ct);
        var user = context.Items[Authentication.UserItemKey] as UserInfo ?? UserInfo.Anonymous;
        review["status"] = resource.Name switch
        {
            "selfsubjectreviews" => new JsonObject { ["userInfo"] = UserInfoJson(user) },
            "tokenreviews" => await ReviewTokenAsync(review, ct),
            "selfsubjectrulesreviews" => RulesReview(user, (string?)review["spec"]?["namespace"] ?? ""),
            "selfsubjectaccessreviews" => AccessReview(user, review),
            _ => AccessReview(SpecUser(review), review),
        };
        await ResponseWriter.WriteAsync(context, 201, review, output.Format, ct);
    }

    private async Task<JsonObject> ReviewTokenAsync(JsonObject review, CancellationToken ct)
    {
        var token = review["spec"]?["token"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
        var audiences = (review["spec"]?["audiences"] as JsonArray)?.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
        var result = token.Length == 0 ? TokenResult.Fail("token is empty") : await tokens.AuthenticateAsync(token, audiences, ct);
        if (result.User is null)
        {
            return new JsonObject { ["authenticated"] = false, ["user"] = new JsonObject(), ["error"] = result.Error };
        }
        return new JsonObject
        {
            ["authenticated"] = true,
            ["user"] = UserInfoJson(result.User),
            ["audiences"] = new JsonArray(result.Audiences.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
        };
    }

    /// <summary>A user.Info as authentication/v1 UserInfo: uid and extra only when set.</summary>
    private static JsonObject UserInfoJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (!string.IsNullOrEmpty(user.Uid))
        {
            json["uid"] = user.Uid;
        }
        json["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)JsonValue.Create(g)).ToArray());
        if (user.Extra is { Count: > 0 } extra)
        {
            json["extra"] = new JsonObject(extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
                KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()))));
        }
        return json;
    }

    private JsonObject AccessReview(UserInfo user, JsonObject review)
    {
        var spec = review["spec"];
        var attributes = spec?["resourceAttributes"] is { } resource
            ? new AuthorizationAttributes(
                (string?)resource["verb"] ?? "", true, (string?)resource["group"] ?? "", (string?)resource["resource"] ?? "",
                (string?)resource["subresource"] ?? "", (string?)resource["namespace"] ?? (string?)review["metadata"]?["namespace"] ?? "",
                (string?)resource["name"] ?? "")
            : new AuthorizationAttributes((string?)spec?["nonResourceAttributes"]?["verb"] ?? "", false,
                Path: (string?)spec?["nonResourceAttributes"]?["path"] ?? "");
        var (allowed, reason) = authorizer.Authorize(user, attributes);
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }
        return status;
    }

    /// <summary>The user a SubjectAccessReview asks about: spec.user, spec.groups (plus system:authenticated), spec.uid.</summary>
    private static UserInfo SpecUser(JsonObject review)
    {
        var spec = review["spec"];
        var groups = PolicyRule.Strings(spec?["groups"]);
        return new UserInfo((string?)spec?["user"] ?? "", groups, (string?)spec?["uid"]);
    }

    private JsonObject RulesReview(UserInfo user, string ns)
    {
        var rules = authorizer.RulesFor(user, ns);
        return new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. rules.Where(r => r.NonResourceUrls.Count == 0).Select(r => r.ToResourceRuleJson())]),
            ["nonResourceRules"] = new JsonArray([.. rules.Where(r => r.NonResourceUrls.Count > 0).Select(r => r.ToNonResourceRuleJson())]),
            ["incomplete"] = false,
        };
    }
}
