using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// The create-only review resources (<c>kubectl auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>,
/// TokenReview): computed per request and never stored, as upstream. There is no authorizer yet, so every
/// authenticated user may do everything, and the answers say exactly that. TokenReview checks service-account
/// tokens exactly as bearer authentication does, for the audiences in <c>spec.audiences</c> (default: the issuer).
/// </summary>
internal sealed class ReviewHandler(ObjectDecoder decoder, ServiceAccountTokens tokens)
{
    private const string NoAuthorizer = "no authorizer is configured yet: every authenticated user may do everything";

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
            "selfsubjectrulesreviews" => AllRules(),
            _ => new JsonObject { ["allowed"] = user != UserInfo.Anonymous, ["reason"] = NoAuthorizer },
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

    private static JsonObject AllRules() => new()
    {
        ["resourceRules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("*"),
            ["apiGroups"] = new JsonArray("*"),
            ["resources"] = new JsonArray("*"),
        }),
        ["nonResourceRules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") }),
        ["incomplete"] = false,
    };
}
