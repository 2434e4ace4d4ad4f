using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// What upstream's admission plugins and pod strategy add to a new pod, beyond versioned defaulting:
/// ServiceAccount (the <c>default</c> account and, unless the pod opts out, the <c>kube-api-access-*</c> projected
/// volume with the account's token, the cluster CA and the namespace, mounted into every container), Priority (priority 0, PreemptLowerPriority),
/// DefaultTolerationSeconds (tolerate not-ready/unreachable for 300 s) and the initial status with its QoS class.
/// </summary>
public static class PodAdmissionDefaults
{
    public const long DefaultTolerationSeconds = 300;
    private static readonly string[] NoExecuteTaints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

    /// <summary>Built-in priority classes upstream creates at start-up; other classes are not resolved here.</summary>
    private static readonly Dictionary<string, long> SystemPriorities = new(StringComparer.Ordinal)
    {
        ["system-node-critical"] = 2000001000,
        ["system-cluster-critical"] = 2000000000,
    };

    public const string ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static void Apply(JsonObject pod)
    {
        var spec = pod.Child("spec");
        ApplyServiceAccount(spec);
        ApplyApiAccessVolume(spec);
        ApplyPriority(spec);
        ApplyTolerations(spec);
    }

    /// <summary>The strategy's <c>PrepareForCreate</c> status: Pending with the computed QoS class.</summary>
    public static JsonObject InitialStatus(JsonObject spec) => new() { ["phase"] = "Pending", ["qosClass"] = QosClass(spec) };

    private static void ApplyServiceAccount(JsonObject spec)
    {
        var name = spec.Text("serviceAccountName") is { Length: > 0 } given ? given : spec.Text("serviceAccount") is { Length: > 0 } legacy ? legacy : "default";
        spec["serviceAccountName"] = name;
        spec["serviceAccount"] = name;
    }

    /// <summary>
    /// Upstream's ServiceAccount admission: a projected volume <c>kube-api-access-xxxxx</c> (a bound token expiring
    /// after 3607 s, <c>ca.crt</c> from the <c>kube-root-ca.crt</c> ConfigMap, the namespace from the downward API),
    /// mounted read-only at <see cref="ServiceAccountMountPath"/> in every container that does not mount something
    /// there already. Skipped when the pod sets <c>automountServiceAccountToken: false</c>.
    /// </summary>
    private static void ApplyApiAccessVolume(JsonObject spec)
    {
        if (spec["automountServiceAccountToken"]?.GetValue<bool>() == false)
        {
            return;
        }
        var containers = spec.Items("initContainers").Concat(spec.Items("containers"))
            .Where(c => !c.Items("volumeMounts").Any(m => m.Text("mountPath") == ServiceAccountMountPath))
            .ToList();
        if (containers.Count == 0)
        {
            return;
        }
        var name = "kube-api-access-" + K8sSharp.Api.Meta.RandomSuffix.Generate();
        if (spec["volumes"] is not JsonArray volumes)
        {
            volumes = [];
            spec["volumes"] = volumes;
        }
        volumes.Add(ApiAccessVolume(name));
        foreach (var container in containers)
        {
            if (container["volumeMounts"] is not JsonArray mounts)
            {
                mounts = [];
                container["volumeMounts"] = mounts;
            }
            mounts.Add(new JsonObject { ["name"] = name, ["readOnly"] = true, ["mountPath"] = ServiceAccountMountPath });
        }
    }

    /// <summary>
    /// Takes back what <see cref="Apply"/> mounted when the pod's ServiceAccount turns out to opt out of token
    /// automount (the pod's own setting was not given): the <c>kube-api-access-*</c> volume and its mounts.
    /// </summary>
    public static void RemoveApiAccessVolume(JsonObject spec)
    {
        if (spec["volumes"] is not JsonArray volumes
            || volumes.OfType<JsonObject>().FirstOrDefault(IsApiAccessVolume) is not { } volume)
        {
            return;
        }
        var name = volume.Text("name");
        volumes.Remove(volume);
        if (volumes.Count == 0)
        {
            spec.Remove("volumes");
        }
        foreach (var container in spec.Items("initContainers").Concat(spec.Items("containers")))
        {
            if (container["volumeMounts"] is JsonArray mounts)
            {
                foreach (var mount in mounts.OfType<JsonObject>().Where(m => m.Text("name") == name).ToList())
                {
                    mounts.Remove(mount);
                }
                if (mounts.Count == 0)
                {
                    container.Remove("volumeMounts");
                }
            }
        }
    }

    private static bool IsApiAccessVolume(JsonObject volume) =>
        volume.Text("name")?.StartsWith("kube-api-access-", StringComparison.Ordinal) == true
        && volume["projected"]?["sources"] is JsonArray sources
        && sources.Any(s => s?["serviceAccountToken"] is not null);

    private static JsonObject ApiAccessVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "namespace",
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                        }),
                    },
                }),
        },
    };

    private static void ApplyPriority(JsonObject spec)
    {
        if (spec["priority"] is null)
        {
            var className = spec.Text("priorityClassName") ?? "";
            if (className.Length == 0)
            {
                spec["priority"] = 0;
            }
            else if (SystemPriorities.TryGetValue(className, out var priority))
            {
                spec["priority"] = priority;
            }
        }
        spec.Default("preemptionPolicy", "PreemptLowerPriority");
    }

    /// <summary>Adds a NoExecute toleration per taint unless one already tolerates it (same key, or Exists without key).</summary>
    private static void ApplyTolerations(JsonObject spec)
    {
        var existing = spec.Items("tolerations").ToList();
        foreach (var taint in NoExecuteTaints)
        {
            if (existing.Any(t => Tolerates(t, taint)))
            {
                continue;
            }
            if (spec["tolerations"] is not JsonArray tolerations)
            {
                tolerations = [];
                spec["tolerations"] = tolerations;
            }
            tolerations.Add(new JsonObject
            {
                ["key"] = taint, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = DefaultTolerationSeconds,
            });
        }
    }

    private static bool Tolerates(JsonObject toleration, string taint)
    {
        var effect = toleration.Text("effect") ?? "";
        var key = toleration.Text("key") ?? "";
        var keyMatches = key == taint || (key.Length == 0 && toleration.Text("operator") == "Exists");
        return keyMatches && effect is "" or "NoExecute";
    }

    /// <summary>
    /// Upstream's <c>GetPodQOS</c> over cpu and memory: BestEffort without any requests or limits, Guaranteed when
    /// every container limits both and requests equal limits, Burstable otherwise. Pod-level resources win when set.
    /// </summary>
    public static string QosClass(JsonObject spec)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        var sources = spec.Existing("resources") is { } podLevel && (podLevel.Existing("requests") is { Count: > 0 } || podLevel.Existing("limits") is { Count: > 0 })
            ? [podLevel]
            : spec.Items("initContainers").Concat(spec.Items("containers")).Select(c => c.Existing("resources") ?? []).ToList();
        foreach (var resources in sources)
        {
            Sum(resources.Existing("requests"), requests);
            var found = Sum(resources.Existing("limits"), limits);
            guaranteed &= found.Contains("cpu") && found.Contains("memory");
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }
        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var l) && l == r.Value);
        return guaranteed && requests.Count == limits.Count ? "Guaranteed" : "Burstable";
    }

    /// <returns>The names of the positive cpu/memory quantities that were added.</returns>
    private static HashSet<string> Sum(JsonObject? quantities, Dictionary<string, decimal> totals)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in quantities ?? [])
        {
            if (name is "cpu" or "memory" && Quantities.Parse(value?.ToString()) is > 0 and var amount)
            {
                totals[name] = totals.GetValueOrDefault(name) + amount;
                found.Add(name);
            }
        }
        return found;
    }
}
