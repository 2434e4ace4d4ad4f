using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Replicated workloads: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet
/// (upstream printDeployment, printReplicaSet, printReplicationController, printStatefulSet, printDaemonSet).
/// <c>spec.replicas</c> falls back to 1, the value defaulting stores, when an object lacks it.
/// </summary>
internal static class WorkloadPrinters
{
    private const string ReadyDoc = "Number of the pod with ready state";

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("apps", "Deployment",
        [
            Col.Name, Col.Str("Ready", ReadyDoc), Col.Str("Up-to-date", ColumnDocs.DeployUpdated),
            Col.Str("Available", ColumnDocs.DeployAvailable), Col.Age, Col.Containers, Col.Images,
            Col.Str("Selector", ColumnDocs.DeploySelector, 1),
        ], Deployment);
        yield return new KindPrinter("apps", "ReplicaSet",
        [
            Col.Name, Col.Int("Desired", ColumnDocs.RsSpecReplicas), Col.Int("Current", ColumnDocs.RsStatusReplicas),
            Col.Int("Ready", ColumnDocs.RsReadyReplicas), Col.Age, Col.Containers, Col.Images,
            Col.Str("Selector", ColumnDocs.RsSelector, 1),
        ], ReplicaSet);
        yield return new KindPrinter("", "ReplicationController",
        [
            Col.Name, Col.Int("Desired", ColumnDocs.RcSpecReplicas), Col.Int("Current", ColumnDocs.RcStatusReplicas),
            Col.Int("Ready", ColumnDocs.RcReadyReplicas), Col.Age, Col.Containers, Col.Images,
            Col.Str("Selector", ColumnDocs.RcSelector, 1),
        ], ReplicationController);
        yield return new KindPrinter("apps", "StatefulSet",
            [Col.Name, Col.Str("Ready", ReadyDoc), Col.Age, Col.Containers, Col.Images], StatefulSet);
        yield return new KindPrinter("apps", "DaemonSet",
        [
            Col.Name, Col.Int("Desired", ColumnDocs.DsDesired), Col.Int("Current", ColumnDocs.DsCurrent),
            Col.Int("Ready", ColumnDocs.DsReady), Col.Int("Up-to-date", ColumnDocs.DsUpdated),
            Col.Int("Available", ColumnDocs.DsAvailable), Col.Str("Node Selector", ColumnDocs.PodNodeSelector),
            Col.Age, Col.Containers, Col.Images, Col.Str("Selector", ColumnDocs.DsSelector, 1),
        ], DaemonSet);
    }

    private static long DesiredReplicas(JsonObject obj) => obj.Long("spec", "replicas") ?? 1;

    // Deployments print the raw selector string: "" for an empty selector, <invalid> when unparsable.
    private static JsonArray Deployment(JsonObject d, DateTimeOffset now)
    {
        var (names, images) = PrintFormat.Containers(d.At("spec", "template", "spec"));
        return new JsonArray(
            PrintFormat.Name(d),
            PrintFormat.Ratio(d.L("status", "readyReplicas"), DesiredReplicas(d)),
            d.L("status", "updatedReplicas"),
            d.L("status", "availableReplicas"),
            PrintFormat.CreationAge(d, now),
            names,
            images,
            PrintFormat.SelectorOrNull(d.At("spec", "selector")) ?? "<invalid>");
    }

    private static JsonArray ReplicaSet(JsonObject rs, DateTimeOffset now)
    {
        var (names, images) = PrintFormat.Containers(rs.At("spec", "template", "spec"));
        return new JsonArray(
            PrintFormat.Name(rs),
            DesiredReplicas(rs),
            rs.L("status", "replicas"),
            rs.L("status", "readyReplicas"),
            PrintFormat.CreationAge(rs, now),
            names,
            images,
            PrintFormat.Selector(rs.At("spec", "selector")));
    }

    // ReplicationController selectors are plain label maps; the template is optional.
    private static JsonArray ReplicationController(JsonObject rc, DateTimeOffset now)
    {
        var (names, images) = PrintFormat.Containers(rc.At("spec", "template", "spec"));
        return new JsonArray(
            PrintFormat.Name(rc),
            DesiredReplicas(rc),
            rc.L("status", "replicas"),
            rc.L("status", "readyReplicas"),
            PrintFormat.CreationAge(rc, now),
            names,
            images,
            PrintFormat.Labels(rc.StringMap("spec", "selector")));
    }

    private static JsonArray StatefulSet(JsonObject sts, DateTimeOffset now)
    {
        var (names, images) = PrintFormat.Containers(sts.At("spec", "template", "spec"));
        return new JsonArray(
            PrintFormat.Name(sts),
            PrintFormat.Ratio(sts.L("status", "readyReplicas"), DesiredReplicas(sts)),
            PrintFormat.CreationAge(sts, now),
            names,
            images);
    }

    private static JsonArray DaemonSet(JsonObject ds, DateTimeOffset now)
    {
        var podSpec = ds.At("spec", "template", "spec");
        var (names, images) = PrintFormat.Containers(podSpec);
        return new JsonArray(
            PrintFormat.Name(ds),
            ds.L("status", "desiredNumberScheduled"),
            ds.L("status", "currentNumberScheduled"),
            ds.L("status", "numberReady"),
            ds.L("status", "updatedNumberScheduled"),
            ds.L("status", "numberAvailable"),
            PrintFormat.Labels(podSpec.StringMap("nodeSelector")),
            PrintFormat.CreationAge(ds, now),
            names,
            images,
            PrintFormat.Selector(ds.At("spec", "selector")));
    }
}
