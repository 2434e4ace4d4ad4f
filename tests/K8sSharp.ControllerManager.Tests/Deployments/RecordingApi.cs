using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Events;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>One request a controller sent: verb, path and body.</summary>
public sealed record ApiWrite(string Method, string Path, string Body)
{
    public T As<T>() => KubernetesJson.Deserialize<T>(Body);
}

/// <summary>
/// The API server's side of the wire for controller unit tests (a fake at the process edge): every request is
/// recorded, and writes are answered with the object they sent, stamped with a new resourceVersion, as a server would.
/// A merge patch of an object the test made known with <see cref="Know"/> is applied to it (RFC 7386) and answered
/// with the result. Reads are not served: reconciles read from listers, so a GET here is a test failure (404).
/// </summary>
public sealed class RecordingApi : DelegatingHandler
{
    private readonly Dictionary<string, JsonNode> known = new(StringComparer.Ordinal);
    private int resourceVersion = 1000;

    /// <summary>Makes the object at <paramref name="path"/> known, so that merge patches to it answer the patched object.</summary>
    public void Know(string path, object obj) => known[path] = JsonNode.Parse(KubernetesJson.Serialize(obj))!;

    public List<ApiWrite> Writes { get; } = [];

    public IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Writes)
        {
            Writes.Add(new ApiWrite(request.Method.Method, request.RequestUri!.AbsolutePath, body));
        }
        if (request.Method == HttpMethod.Get)
        {
            return Json(request, HttpStatusCode.NotFound, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
        }
        if (request.Method == HttpMethod.Delete)
        {
            return Json(request, HttpStatusCode.OK, """{"kind":"Status","apiVersion":"v1","status":"Success"}""");
        }
        var obj = JsonNode.Parse(body)!.AsObject();
        if (request.Method == HttpMethod.Patch && known.TryGetValue(request.RequestUri.AbsolutePath, out var target))
        {
            obj = MergePatch(target.DeepClone(), obj)!.AsObject();
        }
        if (obj["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = Interlocked.Increment(ref resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Json(request, request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK, obj.ToJsonString());
    }

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key]?.DeepClone(), value);
            }
        }
        return result;
    }

    public IReadOnlyList<ApiWrite> To(string method, string pathSuffix) =>
        [.. Writes.Where(w => w.Method == method && w.Path.EndsWith(pathSuffix, StringComparison.Ordinal))];

    private static HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode code, string body) =>
        new(code) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") };
}

/// <summary>The events a reconcile recorded, in order.</summary>
public sealed class RecordedEvents : IEventRecorder
{
    public List<(string Type, string Reason, string Message)> Events { get; } = [];

    public void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        lock (Events)
        {
            Events.Add((type, reason, message));
        }
    }
}
