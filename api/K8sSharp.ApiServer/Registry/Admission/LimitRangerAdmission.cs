using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Quota;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// The LimitRanger admission plugin (upstream plugin/pkg/admission/limitranger), first in the pod chain so that
/// ResourceQuota sees the defaulted pod. For each LimitRange of the namespace, a new pod's containers (and init
/// containers) get the Container item's <c>default</c> as missing limits and <c>defaultRequest</c> as missing requests
/// (recorded in the <c>kubernetes.io/limit-ranger</c> annotation), then Container and Pod items' constraints are
/// checked; PersistentVolumeClaims (created or updated) are checked against PersistentVolumeClaim items. Violations
/// are one 403 listing them all.
/// </summary>
internal sealed class LimitRangerAdmission(StoreRegistry registry, bool pods) : IStoreHooks
{
    private const string Annotation = "kubernetes.io/limit-ranger";
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        await AdmitAsync(obj, ct);
        return Nothing;
    }

    public async Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct)
    {
        if (!pods)
        {
            await AdmitAsync(updated, ct);
        }
        return Nothing;
    }

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private async Task AdmitAsync(JsonObject obj, CancellationToken ct)
    {
        if (obj.Namespace() is not { } ns)
        {
            return;
        }
        var store = registry.For(registry.Catalog.Find("", "v1", "limitranges")!);
        var errors = new List<string>();
        foreach (var limitRange in (await store.ListAsync(ns, new ListRequest(), ct)).Items)
        {
            var items = (limitRange["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            errors.AddRange(pods ? AdmitPod(obj, items) : AdmitClaim(obj, items));
        }
        if (errors.Count > 0)
        {
            var message = errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";
            throw ApiException.Forbidden($"{(pods ? "pods" : "persistentvolumeclaims")} \"{obj.Name()}\" is forbidden: {message}");
        }
    }

    private static List<string> AdmitClaim(JsonObject claim, List<JsonObject> items)
    {
        var requests = ResourceList.FromJson(claim["spec"]?["resources"]?["requests"]);
        return items.Where(i => (string?)i["type"] == "PersistentVolumeClaim")
            .SelectMany(i => LimitRangeConstraints.Check(i, "PersistentVolumeClaim", requests, []))
            .ToList();
    }

    private static List<string> AdmitPod(JsonObject pod, List<JsonObject> items)
    {
        ApplyDefaults(pod, items.Where(i => (string?)i["type"] == "Container").ToList());
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var errors = new List<string>();
        foreach (var item in items)
        {
            switch ((string?)item["type"])
            {
                case "Container":
                    errors.AddRange(containers.SelectMany(c => LimitRangeConstraints.Check(item, "Container", Resources(c, "requests"), Resources(c, "limits"))));
                    break;
                case "Pod":
                    errors.AddRange(LimitRangeConstraints.Check(item, "Pod", SumOverAll(containers, "requests"), SumOverAll(containers, "limits")));
                    break;
            }
        }
        return errors;
    }

    /// <summary>Upstream's mergePodResourceRequirements, with the annotation naming what was set.</summary>
    private static void ApplyDefaults(JsonObject pod, List<JsonObject> containerItems)
    {
        var defaultLimits = new JsonObject();
        var defaultRequests = new JsonObject();
        foreach (var item in containerItems)
        {
            Copy(item["defaultRequest"] as JsonObject, defaultRequests);
            Copy(item["default"] as JsonObject, defaultLimits);
        }
        if (defaultLimits.Count == 0 && defaultRequests.Count == 0 || pod["spec"] is not JsonObject spec)
        {
            return;
        }
        var notes = new List<string>();
        foreach (var (field, prefix) in new[] { ("containers", "container"), ("initContainers", "init container") })
        {
            foreach (var container in (spec[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                var resources = Child(container, "resources");
                Note(notes, Merge(Child(resources, "requests"), defaultRequests), $"request for {prefix} {container["name"]}");
                Note(notes, Merge(Child(resources, "limits"), defaultLimits), $"limit for {prefix} {container["name"]}");
            }
        }
        if (notes.Count > 0)
        {
            Child(pod.Metadata(), "annotations")[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
            // The strategy computed the QoS class before admission; defaults can change it.
            Child(pod, "status")["qosClass"] = PodAdmissionDefaults.QosClass(spec);
        }
    }

    private static JsonObject Child(JsonObject obj, string field)
    {
        if (obj[field] is not JsonObject child)
        {
            child = [];
            obj[field] = child;
        }
        return child;
    }

    private static void Copy(JsonObject? source, JsonObject target)
    {
        foreach (var (name, value) in source ?? [])
        {
            target[name] = value?.DeepClone();
        }
    }

    /// <returns>The names that were missing and got a default.</returns>
    private static List<string> Merge(JsonObject target, JsonObject defaults)
    {
        var set = new List<string>();
        foreach (var (name, value) in defaults)
        {
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
                set.Add(name);
            }
        }
        return set;
    }

    private static void Note(List<string> notes, List<string> names, string what)
    {
        if (names.Count > 0)
        {
            notes.Add($"{string.Join(", ", names.Order(StringComparer.Ordinal))} {what}");
        }
    }

    private static ResourceList Resources(JsonObject container, string field) => ResourceList.FromJson(container["resources"]?[field]);

    /// <summary>Upstream's sum: a name appears only when every container states it.</summary>
    private static ResourceList SumOverAll(List<JsonObject> containers, string field)
    {
        var lists = containers.Select(c => Resources(c, field)).ToList();
        var total = new ResourceList();
        foreach (var name in lists.SelectMany(l => l.Keys).Distinct(StringComparer.Ordinal))
        {
            if (lists.All(l => l.ContainsKey(name)))
            {
                total[name] = lists.Aggregate(Quantity.Zero, (sum, l) => sum.Add(l[name]));
            }
        }
        return total;
    }
}
