using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security;

/// <summary>A name and uid in the <c>kubernetes.io</c> claim (the service account, or an object the token is bound to).</summary>
internal sealed record ClaimRef(string Name, string Uid)
{
    public JsonObject ToJson() => new() { ["name"] = Name, ["uid"] = Uid };

    public static ClaimRef? FromJson(JsonNode? node) =>
        node is JsonObject obj && obj.GetString("name") is { Length: > 0 } name ? new ClaimRef(name, obj.GetString("uid") ?? string.Empty) : null;

    public static ClaimRef Of(JsonObject obj) => new(obj.Name() ?? string.Empty, obj.Uid() ?? string.Empty);
}

/// <summary>What a token is bound to besides its service account: a pod (and the pod's node), a secret or a node.</summary>
internal sealed record BoundObjects(ClaimRef? Pod = null, ClaimRef? Secret = null, ClaimRef? Node = null)
{
    public static readonly BoundObjects None = new();
}

/// <summary>
/// The claims of a service-account token, as upstream's <c>pkg/serviceaccount/claims.go</c> lays them out: the
/// registered <c>iss</c>, <c>sub</c> (<c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>), <c>aud</c>, <c>exp</c>,
/// <c>iat</c>, <c>nbf</c>, <c>jti</c>, and the private <c>kubernetes.io</c> claim with the namespace, the service
/// account's name and uid and the bound objects.
/// </summary>
internal sealed record ServiceAccountClaims(string Issuer, IReadOnlyList<string> Audiences, DateTimeOffset Expiry, DateTimeOffset NotBefore,
    string Jti, string Namespace, ClaimRef ServiceAccount, BoundObjects Bound)
{
    public const string UserPrefix = "system:serviceaccount:";

    public static string Subject(string ns, string name) => $"{UserPrefix}{ns}:{name}";

    public JsonObject ToJson(DateTimeOffset issuedAt)
    {
        var kubernetes = new JsonObject { ["namespace"] = Namespace, ["serviceaccount"] = ServiceAccount.ToJson() };
        AddRef(kubernetes, "pod", Bound.Pod);
        AddRef(kubernetes, "secret", Bound.Secret);
        AddRef(kubernetes, "node", Bound.Node);
        return new JsonObject
        {
            ["aud"] = new JsonArray(Audiences.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["exp"] = Expiry.ToUnixTimeSeconds(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = Jti,
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = NotBefore.ToUnixTimeSeconds(),
            ["sub"] = Subject(Namespace, ServiceAccount.Name),
        };
    }

    /// <summary>
    /// Reads verified claims; null with a reason when a required claim is missing or <c>sub</c> does not name the
    /// service account of the <c>kubernetes.io</c> claim. <c>exp</c> is required: tokens without one never expire.
    /// </summary>
    public static ServiceAccountClaims? Parse(JsonObject claims, out string error)
    {
        error = "service account token is missing required claims";
        var kubernetes = claims["kubernetes.io"] as JsonObject;
        var ns = kubernetes?.GetString("namespace");
        var serviceAccount = ClaimRef.FromJson(kubernetes?["serviceaccount"]);
        var expiry = UnixTime(claims["exp"]);
        if (kubernetes is null || string.IsNullOrEmpty(ns) || serviceAccount is null || expiry is null)
        {
            return null;
        }
        if (claims.GetString("sub") != Subject(ns, serviceAccount.Name))
        {
            error = "service account token subject does not match its kubernetes.io claim";
            return null;
        }
        var bound = new BoundObjects(ClaimRef.FromJson(kubernetes["pod"]), ClaimRef.FromJson(kubernetes["secret"]), ClaimRef.FromJson(kubernetes["node"]));
        error = string.Empty;
        return new ServiceAccountClaims(claims.GetString("iss") ?? string.Empty, ReadAudiences(claims["aud"]), expiry.Value,
            UnixTime(claims["nbf"]) ?? DateTimeOffset.MinValue, claims.GetString("jti") ?? string.Empty, ns, serviceAccount, bound);
    }

    /// <summary>
    /// The user the token authenticates, as upstream's <c>ServiceAccountInfo.UserInfo</c>: uid is the service
    /// account's, the extras name the bound pod and node and the token's id (<c>JTI=...</c>).
    /// </summary>
    public UserInfo ToUserInfo()
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        AddExtra(extra, "pod-name", Bound.Pod?.Name);
        AddExtra(extra, "pod-uid", Bound.Pod?.Uid);
        AddExtra(extra, "node-name", Bound.Node?.Name);
        AddExtra(extra, "node-uid", Bound.Node?.Uid);
        AddExtra(extra, "credential-id", Jti.Length > 0 ? "JTI=" + Jti : null);
        var groups = new[] { "system:serviceaccounts", $"system:serviceaccounts:{Namespace}", "system:authenticated" };
        return new UserInfo(Subject(Namespace, ServiceAccount.Name), groups, ServiceAccount.Uid, extra);
    }

    private static void AddRef(JsonObject kubernetes, string field, ClaimRef? reference)
    {
        if (reference is not null)
        {
            kubernetes[field] = reference.ToJson();
        }
    }

    private static void AddExtra(Dictionary<string, IReadOnlyList<string>> extra, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            extra["authentication.kubernetes.io/" + key] = [value];
        }
    }

    /// <summary><c>aud</c> is a string or an array of strings (RFC 7519 §4.1.3).</summary>
    private static List<string> ReadAudiences(JsonNode? aud) => aud switch
    {
        JsonValue value when value.TryGetValue<string>(out var single) => [single],
        JsonArray array => array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var a) ? a : null).OfType<string>().ToList(),
        _ => [],
    };

    /// <summary>A NumericDate (seconds, possibly fractional); works for parsed JSON and for values set in code.</summary>
    private static DateTimeOffset? UnixTime(JsonNode? node)
    {
        double? seconds = node is not JsonValue value ? null
            : value.TryGetValue<long>(out var whole) ? whole
            : value.TryGetValue<double>(out var fractional) ? fractional
            : null;
        return seconds is >= -62135596800 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds((long)seconds.Value) : null;
    }
}
