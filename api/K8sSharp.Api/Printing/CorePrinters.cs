using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Core-group configuration, namespace, node and storage objects (upstream printConfigMap, printSecret,
/// printNamespace, printNode, printServiceAccount, printPersistentVolume, printPersistentVolumeClaim).
/// </summary>
internal static class CorePrinters
{
    private const string StorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("", "ConfigMap", [Col.Name, Col.Str("Data", ColumnDocs.ConfigMapData), Col.Age],
            (cm, now) => new JsonArray(PrintFormat.Name(cm), (long)(cm.Count("data") + cm.Count("binaryData")),
                PrintFormat.CreationAge(cm, now)));
        yield return new KindPrinter("", "Secret",
            [Col.Name, Col.Str("Type", ColumnDocs.SecretType), Col.Str("Data", ColumnDocs.SecretData), Col.Age],
            (s, now) => new JsonArray(PrintFormat.Name(s), s.S("type"), SecretDataCount(s), PrintFormat.CreationAge(s, now)));
        yield return new KindPrinter("", "Namespace",
            [Col.Name, Col.Str("Status", "The status of the namespace"), Col.Age],
            (ns, now) => new JsonArray(PrintFormat.Name(ns), ns.S("status", "phase"), PrintFormat.CreationAge(ns, now)));
        yield return new KindPrinter("", "ServiceAccount", [Col.Name, Col.Str("Secrets", ColumnDocs.SaSecrets), Col.Age],
            (sa, now) => new JsonArray(PrintFormat.Name(sa), (long)sa.Arr("secrets").Count, PrintFormat.CreationAge(sa, now)));
        yield return new KindPrinter("", "Node",
        [
            Col.Name, Col.Str("Status", "The status of the node"), Col.Str("Roles", "The roles of the node"), Col.Age,
            Col.Str("Version", ColumnDocs.NodeKubeletVersion), Col.Str("Internal-IP", ColumnDocs.NodeAddresses, 1),
            Col.Str("External-IP", ColumnDocs.NodeAddresses, 1), Col.Str("OS-Image", ColumnDocs.NodeOsImage, 1),
            Col.Str("Kernel-Version", ColumnDocs.NodeKernel, 1), Col.Str("Container-Runtime", ColumnDocs.NodeRuntime, 1),
        ], Node);
        yield return new KindPrinter("", "PersistentVolume",
        [
            Col.Name, Col.Str("Capacity", ColumnDocs.PvCapacity), Col.Str("Access Modes", ColumnDocs.PvAccessModes),
            Col.Str("Reclaim Policy", ColumnDocs.PvReclaim), Col.Str("Status", ColumnDocs.PvPhase),
            Col.Str("Claim", ColumnDocs.PvClaimRef), Col.Str("StorageClass", "StorageClass of the pv"),
            Col.Str("VolumeAttributesClass", "VolumeAttributesClass of the pv"), Col.Str("Reason", ColumnDocs.PvReason),
            Col.Age, Col.Str("VolumeMode", ColumnDocs.PvVolumeMode, 1),
        ], PersistentVolume);
        yield return new KindPrinter("", "PersistentVolumeClaim",
        [
            Col.Name, Col.Str("Status", ColumnDocs.PvcPhase), Col.Str("Volume", ColumnDocs.PvcVolumeName),
            Col.Str("Capacity", ColumnDocs.PvcCapacity), Col.Str("Access Modes", ColumnDocs.PvcAccessModes),
            Col.Str("StorageClass", "StorageClass of the pvc"),
            Col.Str("VolumeAttributesClass", "VolumeAttributesClass of the pvc"), Col.Age,
            Col.Str("VolumeMode", ColumnDocs.PvcVolumeMode, 1),
        ], PersistentVolumeClaim);
    }

    // Upstream counts the internal object's data, into which stringData has been merged on write.
    private static long SecretDataCount(JsonObject secret)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        keys.UnionWith(secret.Obj("data")?.Select(kv => kv.Key) ?? []);
        keys.UnionWith(secret.Obj("stringData")?.Select(kv => kv.Key) ?? []);
        return keys.Count;
    }

    private static JsonArray Node(JsonObject node, DateTimeOffset now)
    {
        var info = node.Obj("status", "nodeInfo");
        return new JsonArray(
            PrintFormat.Name(node),
            NodeStatus(node),
            PrintFormat.OrNone(string.Join(",", NodeRoles(node))),
            PrintFormat.CreationAge(node, now),
            info.S("kubeletVersion"),
            NodeAddress(node, "InternalIP"),
            NodeAddress(node, "ExternalIP"),
            UnknownIfEmpty(info.S("osImage")),
            UnknownIfEmpty(info.S("kernelVersion")),
            UnknownIfEmpty(info.S("containerRuntimeVersion")));
    }

    // "Ready"/"NotReady" from the Ready condition (last one wins), "Unknown" without it,
    // plus ",SchedulingDisabled" for cordoned nodes.
    private static string NodeStatus(JsonObject node)
    {
        var ready = node.Objects("status", "conditions").LastOrDefault(c => c.S("type") == "Ready");
        var status = ready is null ? "Unknown" : ready.S("status") == "True" ? "Ready" : "NotReady";
        return node.Bool("spec", "unschedulable") == true ? status + ",SchedulingDisabled" : status;
    }

    // Roles come from node-role.kubernetes.io/<role> label keys and the kubernetes.io/role label value.
    private static SortedSet<string> NodeRoles(JsonObject node)
    {
        const string rolePrefix = "node-role.kubernetes.io/";
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.StringMap("metadata", "labels"))
        {
            if (key.StartsWith(rolePrefix, StringComparison.Ordinal) && key.Length > rolePrefix.Length)
            {
                roles.Add(key[rolePrefix.Length..]);
            }
            else if (key == "kubernetes.io/role" && value.Length > 0)
            {
                roles.Add(value);
            }
        }
        return roles;
    }

    private static string NodeAddress(JsonObject node, string type) =>
        node.Objects("status", "addresses").FirstOrDefault(a => a.S("type") == type)?.S("address") ?? "<none>";

    private static string UnknownIfEmpty(string value) => value.Length == 0 ? "<unknown>" : value;

    private static JsonArray PersistentVolume(JsonObject pv, DateTimeOffset now)
    {
        var claim = pv.Obj("spec", "claimRef");
        return new JsonArray(
            PrintFormat.Name(pv),
            PrintFormat.Quantity(pv, "spec", "capacity", "storage"),
            PrintFormat.AccessModes(pv.Arr("spec", "accessModes")),
            pv.S("spec", "persistentVolumeReclaimPolicy"),
            Phase(pv),
            claim is null ? "" : claim.S("namespace") + "/" + claim.S("name"),
            StorageClass(pv),
            pv.Str("spec", "volumeAttributesClassName") ?? "<unset>",
            pv.S("status", "reason"),
            PrintFormat.CreationAge(pv, now),
            pv.Str("spec", "volumeMode") ?? "<unset>");
    }

    // Capacity and access modes are only shown once the claim is bound to a volume.
    private static JsonArray PersistentVolumeClaim(JsonObject pvc, DateTimeOffset now)
    {
        var volumeName = pvc.S("spec", "volumeName");
        var bound = volumeName.Length > 0;
        return new JsonArray(
            PrintFormat.Name(pvc),
            Phase(pvc),
            volumeName,
            bound ? PrintFormat.Quantity(pvc, "status", "capacity", "storage") : "",
            bound ? PrintFormat.AccessModes(pvc.Arr("status", "accessModes")) : "",
            StorageClass(pvc),
            pvc.Str("spec", "volumeAttributesClassName") ?? "<unset>",
            PrintFormat.CreationAge(pvc, now),
            pvc.Str("spec", "volumeMode") ?? "<unset>");
    }

    private static string Phase(JsonObject obj) =>
        obj.At("metadata", "deletionTimestamp") is not null ? "Terminating" : obj.S("status", "phase");

    // The deprecated beta annotation still takes precedence over spec.storageClassName.
    private static string StorageClass(JsonObject obj) =>
        obj.Str("metadata", "annotations", StorageClassAnnotation) ?? obj.S("spec", "storageClassName");
}
