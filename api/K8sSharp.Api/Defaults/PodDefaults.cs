using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// The defaults of upstream's <c>pkg/apis/core/v1/defaults.go</c> for pod specs (<c>SetDefaults_PodSpec</c>,
/// <c>SetDefaults_Container</c>, probes, volumes, env) and for pods themselves (<c>SetDefaults_Pod</c>). Pure JSON
/// functions: they only fill unset fields, so running them twice changes nothing.
/// </summary>
public static class PodDefaults
{
    public const int DefaultTerminationGracePeriodSeconds = 30;
    private const int DefaultFileMode = 420; // 0644, the mode of configMap/secret/downwardAPI/projected files

    /// <summary>Defaults a bare pod: its spec as in every template, plus the pod-only rules of <c>SetDefaults_Pod</c>.</summary>
    public static void ApplyPod(JsonObject pod)
    {
        var spec = pod.Child("spec");
        ApplyPodSpec(spec);
        foreach (var container in AllContainers(spec))
        {
            DefaultRequestsToLimits(container.Child("resources"));
        }
        if (spec.Existing("resources") is { } podResources)
        {
            DefaultRequestsToLimits(podResources);
        }
        spec.Default("enableServiceLinks", true);
        if (spec["hostNetwork"] is JsonValue hostNetwork && hostNetwork.TryGetValue<bool>(out var host) && host)
        {
            DefaultHostPorts(spec);
        }
    }

    /// <summary>Defaults a pod template (<c>{metadata, spec}</c>) as the template's owner kind is decoded.</summary>
    public static void ApplyTemplate(JsonObject? template)
    {
        if (template is not null)
        {
            ApplyPodSpec(template.Child("spec"));
        }
    }

    /// <summary><c>SetDefaults_PodSpec</c> and everything reachable from it (containers, volumes).</summary>
    public static void ApplyPodSpec(JsonObject spec)
    {
        spec.Default("dnsPolicy", "ClusterFirst");
        spec.Default("restartPolicy", "Always");
        spec.Default("terminationGracePeriodSeconds", DefaultTerminationGracePeriodSeconds);
        spec.Default("schedulerName", "default-scheduler");
        spec.Child("securityContext");
        foreach (var container in AllContainers(spec))
        {
            ApplyContainer(container);
        }
        foreach (var volume in spec.Items("volumes"))
        {
            ApplyVolume(volume);
        }
    }

    /// <summary>Containers, init containers and ephemeral containers: all share <c>SetDefaults_Container</c>.</summary>
    public static IEnumerable<JsonObject> AllContainers(JsonObject spec) =>
        spec.Items("initContainers").Concat(spec.Items("containers")).Concat(spec.Items("ephemeralContainers"));

    public static void ApplyContainer(JsonObject container)
    {
        container.Default("imagePullPolicy", PullPolicyFor(container.Text("image") ?? ""));
        container.Default("terminationMessagePath", "/dev/termination-log");
        container.Default("terminationMessagePolicy", "File");
        container.Child("resources");
        foreach (var port in container.Items("ports"))
        {
            port.Default("protocol", "TCP");
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container.Existing(probe) is { } p)
            {
                ApplyProbe(p);
            }
        }
        foreach (var hook in new[] { "postStart", "preStop" })
        {
            ApplyHandler(container.Existing("lifecycle")?.Existing(hook));
        }
        foreach (var env in container.Items("env"))
        {
            ApplyFieldRef(env.Existing("valueFrom")?.Existing("fieldRef"));
        }
    }

    /// <summary>
    /// <c>Always</c> for images tagged <c>latest</c> or without tag (which means latest), else <c>IfNotPresent</c>;
    /// a digest without a tag is pinned, hence <c>IfNotPresent</c> (upstream's <c>parsers.ParseImageName</c>).
    /// </summary>
    public static string PullPolicyFor(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', lastSlash + 1);
        var tag = colon < 0 ? (at < 0 ? "latest" : "") : name[(colon + 1)..];
        return tag == "latest" ? "Always" : "IfNotPresent";
    }

    public static void ApplyProbe(JsonObject probe)
    {
        DefaultZero(probe, "timeoutSeconds", 1);
        DefaultZero(probe, "periodSeconds", 10);
        DefaultZero(probe, "successThreshold", 1);
        DefaultZero(probe, "failureThreshold", 3);
        ApplyHandler(probe);
    }

    /// <summary>Probe timings are plain int32s upstream: an explicit 0 is unset and gets the default too.</summary>
    private static void DefaultZero(JsonObject probe, string field, int value)
    {
        if (probe[field] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.ToJsonString() == "0")
        {
            probe.Remove(field);
        }
        probe.Default(field, value);
    }

    /// <summary>The action of a probe or lifecycle hook: <c>httpGet</c> path <c>/</c> and scheme HTTP, gRPC service "".</summary>
    private static void ApplyHandler(JsonObject? handler)
    {
        if (handler?.Existing("httpGet") is { } httpGet)
        {
            httpGet.Default("path", "/");
            httpGet.Default("scheme", "HTTP");
        }
        if (handler?.Existing("grpc") is { } grpc && grpc["service"] is null)
        {
            grpc["service"] = "";
        }
    }

    private static void ApplyFieldRef(JsonObject? fieldRef) => fieldRef?.Default("apiVersion", "v1");

    /// <summary><c>SetDefaults_Volume</c>: a volume without a source is an emptyDir; file modes default to 0644.</summary>
    public static void ApplyVolume(JsonObject volume)
    {
        if (volume.All(p => p.Key == "name" || p.Value is null))
        {
            volume["emptyDir"] = new JsonObject();
        }
        foreach (var source in new[] { "configMap", "secret", "downwardAPI", "projected" })
        {
            volume.Existing(source)?.Default("defaultMode", DefaultFileMode);
        }
        if (volume.Existing("hostPath") is { } hostPath && hostPath["type"] is null)
        {
            hostPath["type"] = "";
        }
        foreach (var item in volume.Existing("downwardAPI")?.Items("items") ?? [])
        {
            ApplyFieldRef(item.Existing("fieldRef"));
        }
        foreach (var projection in volume.Existing("projected")?.Items("sources") ?? [])
        {
            ApplyProjection(projection);
        }
    }

    private static void ApplyProjection(JsonObject projection)
    {
        foreach (var item in projection.Existing("downwardAPI")?.Items("items") ?? [])
        {
            ApplyFieldRef(item.Existing("fieldRef"));
        }
        projection.Existing("serviceAccountToken")?.Default("expirationSeconds", 3600);
    }

    /// <summary>Requests default to limits for every resource given only a limit (pods only, not templates).</summary>
    private static void DefaultRequestsToLimits(JsonObject resources)
    {
        if (resources.Existing("limits") is not { Count: > 0 } limits)
        {
            return;
        }
        var requests = resources.Child("requests");
        foreach (var (name, value) in limits)
        {
            if (requests[name] is null && value is not null)
            {
                requests[name] = value.DeepClone();
            }
        }
    }

    /// <summary>With <c>hostNetwork</c> a container port is also the host port.</summary>
    private static void DefaultHostPorts(JsonObject spec)
    {
        foreach (var port in AllContainers(spec).SelectMany(c => c.Items("ports")))
        {
            if (port["hostPort"] is null && port["containerPort"] is { } containerPort)
            {
                port["hostPort"] = containerPort.DeepClone();
            }
        }
    }
}
