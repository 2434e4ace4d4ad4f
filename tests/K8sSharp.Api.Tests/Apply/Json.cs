using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Tests.Apply;

/// <summary>Compact JSON with Go-like escaping (quotes as <c>\"</c>), so expectations read like kube-apiserver output.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? node) => node?.ToJsonString(Options) ?? "null";
}
