using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Further built-in kinds upstream prints: IngressClass, NetworkPolicy, ServiceCIDR, IPAddress, PodTemplate,
/// ControllerRevision, RuntimeClass, admission webhook configurations and ValidatingAdmissionPolicy,
/// APIService (kube-aggregator's printer). ValidatingAdmissionPolicyBinding keeps the default table: its
/// upstream ParamRef cell prints Go's struct dump of a label selector, which is not worth imitating.
/// </summary>
internal static class ExtraPrinters
{
    private const string WebhooksDoc = "Webhooks indicates the number of webhooks registered in this configuration";

    public static IEnumerable<KindPrinter> All() => NetworkingAndApps().Concat(Admission()).Concat(StoragePrinters.All())
        .Concat(ClusterPrinters.All());

    private static IEnumerable<KindPrinter> NetworkingAndApps()
    {
        yield return new KindPrinter("networking.k8s.io", "IngressClass",
        [
            Col.Name, Col.Str("Controller", "Controller that is responsible for handling this class"),
            Col.Str("Parameters", "A reference to a resource with additional parameters"), Col.Age,
        ], (ic, now) => new JsonArray(PrintFormat.Name(ic), ic.S("spec", "controller"), IngressClassParameters(ic),
            PrintFormat.CreationAge(ic, now)));
        yield return new KindPrinter("networking.k8s.io", "NetworkPolicy",
            [Col.Name, Col.Str("Pod-Selector", ColumnDocs.NetpolPodSelector), Col.Age],
            (np, now) => new JsonArray(PrintFormat.Name(np), PrintFormat.Selector(np.At("spec", "podSelector") ?? new JsonObject()),
                PrintFormat.CreationAge(np, now)));
        yield return new KindPrinter("networking.k8s.io", "ServiceCIDR",
            [Col.Name, Col.Str("CIDRs", ColumnDocs.SvcCidrs), Col.Age],
            (sc, now) => new JsonArray(PrintFormat.Name(sc), string.Join(",", sc.Arr("spec", "cidrs").Select(c => c.S())),
                PrintFormat.CreationAge(sc, now)));
        yield return new KindPrinter("networking.k8s.io", "IPAddress",
            [Col.Name, Col.Str("ParentRef", ColumnDocs.IpParentRef)],
            (ip, now) => new JsonArray(PrintFormat.Name(ip), IPAddressParent(ip.Obj("spec", "parentRef")), PrintFormat.CreationAge(ip, now)));
        yield return new KindPrinter("", "PodTemplate",
        [
            Col.Name, Col.Str("Containers", Col.ContainersDoc), Col.Str("Images", Col.ImagesDoc),
            Col.Str("Pod Labels", "The labels for the pod template."),
        ], (pt, _) =>
        {
            var (names, images) = PrintFormat.Containers(pt.At("template", "spec"));
            return new JsonArray(PrintFormat.Name(pt), names, images, PrintFormat.Labels(pt.StringMap("template", "metadata", "labels")));
        });
        yield return new KindPrinter("apps", "ControllerRevision",
            [Col.Name, Col.Str("Controller", "Controller of the object"), Col.Str("Revision", ColumnDocs.CrRevision), Col.Age],
            (cr, now) => new JsonArray(PrintFormat.Name(cr), ControllerOf(cr), cr.L("revision"), PrintFormat.CreationAge(cr, now)));
        yield return new KindPrinter("node.k8s.io", "RuntimeClass",
            [Col.Name, Col.Str("Handler", ""), Col.Age], // upstream looks up a doc key ObjectMeta does not have
            (rc, now) => new JsonArray(PrintFormat.Name(rc), rc.S("handler"), PrintFormat.CreationAge(rc, now)));
        yield return new KindPrinter("apiregistration.k8s.io", "APIService",
        [
            Col.Name, Col.Str("Service", "The reference to the service that hosts this API endpoint."),
            Col.Str("Available", "Whether this service is available."), Col.Age,
        ], APIService);
    }

    private static IEnumerable<KindPrinter> Admission()
    {
        foreach (var kind in (string[])["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"])
        {
            yield return new KindPrinter("admissionregistration.k8s.io", kind, [Col.Name, Col.Int("Webhooks", WebhooksDoc), Col.Age],
                (wc, now) => new JsonArray(PrintFormat.Name(wc), (long)wc.Arr("webhooks").Count, PrintFormat.CreationAge(wc, now)));
        }
        yield return new KindPrinter("admissionregistration.k8s.io", "ValidatingAdmissionPolicy",
        [
            Col.Name, Col.Int("Validations", "Validations indicates the number of validation rules defined in this configuration"),
            Col.Str("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"), Col.Age,
        ], (vap, now) => new JsonArray(
            PrintFormat.Name(vap),
            (long)vap.Arr("spec", "validations").Count,
            vap.Obj("spec", "paramKind") is { } pk ? pk.S("apiVersion") + "/" + pk.S("kind") : "<unset>",
            PrintFormat.CreationAge(vap, now)));
    }

    private static string IngressClassParameters(JsonObject ic)
    {
        if (ic.Obj("spec", "parameters") is not { } p)
        {
            return "<none>";
        }
        var kind = p.Str("apiGroup") is { } group ? p.S("kind") + "." + group : p.S("kind");
        return kind + "/" + p.S("name");
    }

    // "resource.group[/namespace]/name", lower-cased like upstream's GroupResource rendering.
    private static string IPAddressParent(JsonObject? parent)
    {
        if (parent is null)
        {
            return "<none>";
        }
        var group = parent.S("group");
        var text = (group.Length == 0 ? parent.S("resource") : parent.S("resource") + "." + group).ToLowerInvariant();
        if (parent.S("namespace") is { Length: > 0 } ns)
        {
            text += "/" + ns;
        }
        return text + "/" + parent.S("name");
    }

    // The controlling owner as "kind.group/name" (lower-cased kind.group), "<none>" without one.
    private static string ControllerOf(JsonObject obj)
    {
        var owner = obj.Objects("metadata", "ownerReferences").FirstOrDefault(o => o.Bool("controller") == true);
        if (owner is null)
        {
            return "<none>";
        }
        var apiVersion = owner.S("apiVersion");
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = owner.S("kind");
        if (kind.Length == 0 && group.Length == 0)
        {
            return owner.S("name");
        }
        var groupKind = group.Length == 0 ? kind : kind + "." + group;
        return groupKind.ToLowerInvariant() + "/" + owner.S("name");
    }

    // "Local" services run in the aggregator itself; Available shows "False (Reason)" when not True.
    private static JsonArray APIService(JsonObject svc, DateTimeOffset now)
    {
        var service = svc.Obj("spec", "service") is { } s ? s.S("namespace") + "/" + s.S("name") : "Local";
        var available = "Unknown";
        if (svc.Objects("status", "conditions").FirstOrDefault(c => c.S("type") == "Available") is { } condition)
        {
            var status = condition.S("status");
            available = status != "True" && condition.S("reason") is { Length: > 0 } reason ? status + " (" + reason + ")" : status;
        }
        return new JsonArray(PrintFormat.Name(svc), service, available, PrintFormat.CreationAge(svc, now));
    }
}
