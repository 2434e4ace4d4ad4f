using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// RBAC bindings, Lease, StorageClass, PodDisruptionBudget and PriorityClass (upstream printRoleBinding,
/// printClusterRoleBinding, printLease, printStorageClass, printPodDisruptionBudget, printPriorityClass).
/// Roles and ClusterRoles have no printer upstream and get the default Name/Created At table.
/// </summary>
internal static class PolicyPrinters
{
    public static IEnumerable<KindPrinter> All()
    {
        yield return Binding("RoleBinding", ColumnDocs.RoleBindingRoleRef, "roleBinding");
        yield return Binding("ClusterRoleBinding", ColumnDocs.ClusterRoleBindingRoleRef, "clusterRoleBinding");
        yield return new KindPrinter("coordination.k8s.io", "Lease",
            [Col.Name, Col.Str("Holder", ColumnDocs.LeaseHolder), Col.Age],
            (l, now) => new JsonArray(PrintFormat.Name(l), l.S("spec", "holderIdentity"), PrintFormat.CreationAge(l, now)));
        yield return new KindPrinter("storage.k8s.io", "StorageClass",
        [
            Col.Name, Col.Str("Provisioner", ColumnDocs.ScProvisioner), Col.Str("ReclaimPolicy", ColumnDocs.ScReclaim),
            Col.Str("VolumeBindingMode", ColumnDocs.ScBinding), Col.Str("AllowVolumeExpansion", ColumnDocs.ScExpansion),
            Col.Age,
        ], StorageClass);
        yield return new KindPrinter("policy", "PodDisruptionBudget",
        [
            Col.Name, Col.Str("Min Available", "The minimum number of pods that must be available."),
            Col.Str("Max Unavailable", "The maximum number of pods that may be unavailable."),
            Col.Int("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."), Col.Age,
        ], (pdb, now) => new JsonArray(
            PrintFormat.Name(pdb),
            PrintFormat.IntOrString(pdb, "spec", "minAvailable") ?? "N/A",
            PrintFormat.IntOrString(pdb, "spec", "maxUnavailable") ?? "N/A",
            pdb.L("status", "disruptionsAllowed"),
            PrintFormat.CreationAge(pdb, now)));
        yield return new KindPrinter("scheduling.k8s.io", "PriorityClass",
        [
            Col.Name, Col.Int("Value", ColumnDocs.PcValue), Col.Bool("Global-Default", ColumnDocs.PcGlobalDefault),
            Col.Age, Col.Str("PreemptionPolicy", ColumnDocs.PcPreemption),
        ], (pc, now) => new JsonArray(
            PrintFormat.Name(pc),
            pc.L("value"),
            pc.Bool("globalDefault") ?? false,
            PrintFormat.CreationAge(pc, now),
            pc.S("preemptionPolicy")));
    }

    private static KindPrinter Binding(string kind, string roleRefDoc, string noun) =>
        new("rbac.authorization.k8s.io", kind,
        [
            Col.Name, Col.Str("Role", roleRefDoc), Col.Age, Col.Str("Users", "Users in the " + noun, 1),
            Col.Str("Groups", "Groups in the " + noun, 1), Col.Str("ServiceAccounts", "ServiceAccounts in the " + noun, 1),
        ], BindingCells);

    // rbac.SubjectsStrings: users and groups by name, service accounts as namespace/name, joined ", ".
    private static JsonArray BindingCells(JsonObject binding, DateTimeOffset now)
    {
        var subjects = binding.Objects("subjects").ToList();
        string Join(string kind, Func<JsonObject, string> render) =>
            string.Join(", ", subjects.Where(s => s.S("kind") == kind).Select(render));
        return new JsonArray(
            PrintFormat.Name(binding),
            binding.S("roleRef", "kind") + "/" + binding.S("roleRef", "name"),
            PrintFormat.CreationAge(binding, now),
            Join("User", s => s.S("name")),
            Join("Group", s => s.S("name")),
            Join("ServiceAccount", s => s.S("namespace") + "/" + s.S("name")));
    }

    // The default class is marked " (default)"; unset policies print their API defaults.
    private static JsonArray StorageClass(JsonObject sc, DateTimeOffset now)
    {
        var annotations = sc.StringMap("metadata", "annotations");
        var isDefault = annotations.GetValueOrDefault("storageclass.kubernetes.io/is-default-class") == "true"
            || annotations.GetValueOrDefault("storageclass.beta.kubernetes.io/is-default-class") == "true";
        return new JsonArray(
            PrintFormat.Name(sc) + (isDefault ? " (default)" : ""),
            sc.S("provisioner"),
            sc.Str("reclaimPolicy") ?? "Delete",
            sc.Str("volumeBindingMode") ?? "Immediate",
            sc.Bool("allowVolumeExpansion") ?? false,
            PrintFormat.CreationAge(sc, now));
    }
}
