using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// storage.k8s.io kinds besides StorageClass: CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment,
/// VolumeAttributesClass (upstream printCSIDriver, printCSINode, ...). Unset booleans print their API
/// defaults, as upstream does after defaulting.
/// </summary>
internal static class StoragePrinters
{
    private const string Group = "storage.k8s.io";

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter(Group, "CSIDriver",
        [
            Col.Name, Col.Bool("AttachRequired", ColumnDocs.CsiAttachRequired), Col.Bool("PodInfoOnMount", ColumnDocs.CsiPodInfo),
            Col.Bool("StorageCapacity", ColumnDocs.CsiStorageCapacity), Col.Str("TokenRequests", ColumnDocs.CsiTokenRequests),
            Col.Bool("RequiresRepublish", ColumnDocs.CsiRepublish), Col.Str("Modes", ColumnDocs.CsiModes), Col.Age,
        ], CSIDriver);
        yield return new KindPrinter(Group, "CSINode",
            [Col.Name, Col.Int("Drivers", "Drivers indicates the number of CSI drivers registered on the node"), Col.Age],
            (n, now) => new JsonArray(PrintFormat.Name(n), (long)n.Arr("spec", "drivers").Count, PrintFormat.CreationAge(n, now)));
        yield return new KindPrinter(Group, "CSIStorageCapacity",
            [Col.Name, Col.Str("StorageClassName", ColumnDocs.CscClass), Col.Str("Capacity", ColumnDocs.CscCapacity)],
            (c, _) => new JsonArray(PrintFormat.Name(c), c.S("storageClassName"), c.Str("capacity") ?? "<unset>"));
        yield return new KindPrinter(Group, "VolumeAttachment",
        [
            Col.Name, new TableColumn("Attacher", "string", "name", ColumnDocs.VaAttacher, 0), // upstream marks it "name" too
            Col.Str("PV", ColumnDocs.VaPv), Col.Str("Node", ColumnDocs.VaNode), Col.Bool("Attached", ColumnDocs.VaAttached), Col.Age,
        ], (va, now) => new JsonArray(
            PrintFormat.Name(va),
            va.S("spec", "attacher"),
            va.S("spec", "source", "persistentVolumeName"),
            va.S("spec", "nodeName"),
            va.Bool("status", "attached") ?? false,
            PrintFormat.CreationAge(va, now)));
        yield return new KindPrinter(Group, "VolumeAttributesClass",
            [Col.Name, Col.Str("DriverName", ColumnDocs.VacDriver), Col.Age],
            (vac, now) => new JsonArray(PrintFormat.Name(vac), vac.S("driverName"), PrintFormat.CreationAge(vac, now)));
    }

    private static JsonArray CSIDriver(JsonObject driver, DateTimeOffset now)
    {
        var spec = driver.Obj("spec");
        var tokenRequests = spec.At("tokenRequests") is JsonArray requests
            ? string.Join(",", requests.Select(r => r.S("audience")))
            : "<unset>";
        var modes = string.Join(",", spec.Arr("volumeLifecycleModes").Select(m => m.S()));
        return new JsonArray(
            PrintFormat.Name(driver),
            spec.Bool("attachRequired") ?? true,
            spec.Bool("podInfoOnMount") ?? false,
            spec.Bool("storageCapacity") ?? false,
            tokenRequests,
            spec.Bool("requiresRepublish") ?? false,
            PrintFormat.OrNone(modes),
            PrintFormat.CreationAge(driver, now));
    }
}
