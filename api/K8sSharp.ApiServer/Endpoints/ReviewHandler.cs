using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// The create-only review resources (<c>kubectl auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>,
/// TokenReview): computed per request and never stored, as upstream. There is no authorizer yet, so every
/// authenticated user may do everything, and the answers say exactly that.
/// </summary>
internal sealed class ReviewHandler(ObjectDecoder decoder)
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
            "tokenreviews" => new JsonObject { ["authenticated"] = false, ["error"] = "token authentication is not configured" },
            "selfsubjectrulesreviews" => AllRules(),
            _ => new JsonObject { ["allowed"] = user != UserInfo.Anonymous, ["reason"] = NoAuthorizer },
        };
        await ResponseWriter.WriteAsync(context, 201, review, output.Format, ct);
    }

    private static JsonObject UserInfoJson(UserInfo user) => new()
    {
        ["username"] = user.Name,
        ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode)JsonValue.Create(g)).ToArray()),
    };

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
