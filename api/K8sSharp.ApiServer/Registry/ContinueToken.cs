using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The opaque <c>continue</c> value of paged lists, in upstream's shape: base64url of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"&lt;key after the prefix&gt;\u0000"}</c>. The revision pins every
/// page to the snapshot of the first one.
/// </summary>
internal readonly record struct ContinueToken(long Revision, string StartKey)
{
    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = Revision, ["start"] = StartKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64)) as JsonObject;
            var version = (string?)node?["v"];
            var revision = (long?)node?["rv"] ?? 0;
            var start = (string?)node?["start"];
            if (version != "meta.k8s.io/v1" || revision <= 0 || string.IsNullOrEmpty(start) || start.StartsWith('/'))
            {
                throw new FormatException();
            }
            return new ContinueToken(revision, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
