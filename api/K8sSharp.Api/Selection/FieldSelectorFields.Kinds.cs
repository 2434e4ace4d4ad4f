using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Selection;

/// <summary>The per-kind tables; each entry cites the upstream conversion and strategy it mirrors.</summary>
public static partial class FieldSelectorFields
{
    private static readonly Dictionary<(string Group, string Kind), KindSpec> Specs = BuildSpecs();

    private static Dictionary<(string Group, string Kind), KindSpec> BuildSpecs() => new()
    {
        // core/v1 conversion.go; pod/strategy.go ToSelectableFields. status.podIPs is accepted upstream but
        // never populated, so it only matches "". spec.host is the pre-1.0 name of spec.nodeName.
        [("", "Pod")] = new(
            Accept(
                ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                 "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                 "status.nominatedNodeName"],
                ("spec.host", "spec.nodeName")),
            NotSupported,
            AddPodFields),
        // Node and Namespace accept metadata.name but not metadata.namespace.
        [("", "Node")] = Spec(["metadata.name", "spec.unschedulable"], (o, f) =>
            f["spec.unschedulable"] = GoBool(o.Bool("spec", "unschedulable") ?? false)),
        [("", "Namespace")] = Spec(["metadata.name", "status.phase"], (o, f) =>
            f["status.phase"] = o.S("status", "phase")),
        [("", "ReplicationController")] = Spec(["metadata.name", "metadata.namespace", "status.replicas"], AddReplicas),
        [("", "Secret")] = Spec(["metadata.name", "metadata.namespace", "type"], (o, f) => f["type"] = o.S("type")),
        [("", "Service")] = Spec(["metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"], (o, f) =>
        {
            f["spec.clusterIP"] = o.S("spec", "clusterIP");
            f["spec.type"] = o.S("spec", "type");
        }),
        [("", "Event")] = Spec(
            ["metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace",
             "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
             "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent",
             "source", "type"],
            AddCoreEventFields),
        // events/v1 conversion.go maps regarding.* and reportingController onto the core event fields; here
        // the values are read straight from the events.k8s.io shape under the labels clients send.
        [("events.k8s.io", "Event")] = Spec(
            ["metadata.name", "metadata.namespace", "regarding.kind", "regarding.namespace", "regarding.name",
             "regarding.uid", "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
             "reason", "reportingController", "source", "type"],
            AddEventsV1Fields),
        // apps/v1 registers no conversion, so status.replicas is extracted (replicaset/strategy.go) but
        // rejected by the default label check, exactly as upstream answers.
        [("apps", "ReplicaSet")] = new(Accept(["metadata.name", "metadata.namespace"]), DefaultUnsupported, AddReplicas),
        [("batch", "Job")] = Spec(["metadata.name", "metadata.namespace", "status.successful"],
            (o, f) => f["status.successful"] = o.L("status", "succeeded").ToString(CultureInfo.InvariantCulture),
            field => $"field label {LabelValidation.GoQuote(field)} not supported for batchv1.Job"),
        [("certificates.k8s.io", "CertificateSigningRequest")] = Spec(["metadata.name", "spec.signerName"],
            (o, f) => f["spec.signerName"] = o.S("spec", "signerName")),
        [("resource.k8s.io", "ResourceSlice")] = Spec(["metadata.name", "spec.nodeName", "spec.driver"],
            (o, f) =>
            {
                f["spec.nodeName"] = o.S("spec", "nodeName");
                f["spec.driver"] = o.S("spec", "driver");
            },
            field => "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: " + field),
    };

    private static void AddPodFields(JsonObject pod, Dictionary<string, string> fields)
    {
        fields["spec.nodeName"] = pod.S("spec", "nodeName");
        fields["spec.restartPolicy"] = pod.S("spec", "restartPolicy");
        fields["spec.schedulerName"] = pod.S("spec", "schedulerName");
        fields["spec.serviceAccountName"] = pod.S("spec", "serviceAccountName");
        fields["spec.hostNetwork"] = GoBool(pod.Bool("spec", "hostNetwork") ?? false);
        fields["status.phase"] = pod.S("status", "phase");
        // Upstream reads the first of status.podIPs; v1 clients may have set only status.podIP.
        var podIPs = pod.Objects("status", "podIPs").ToList();
        fields["status.podIP"] = podIPs.Count > 0 ? podIPs[0].S("ip") : pod.S("status", "podIP");
        fields["status.nominatedNodeName"] = pod.S("status", "nominatedNodeName");
    }

    private static void AddReplicas(JsonObject obj, Dictionary<string, string> fields) =>
        fields["status.replicas"] = obj.L("status", "replicas").ToString(CultureInfo.InvariantCulture);

    private static void AddCoreEventFields(JsonObject ev, Dictionary<string, string> fields)
    {
        AddReference(ev.Obj("involvedObject"), "involvedObject", fields);
        fields["reason"] = ev.S("reason");
        fields["reportingComponent"] = ev.S("reportingComponent");
        fields["source"] = FirstNonEmpty(ev.S("source", "component"), ev.S("reportingComponent"));
        fields["type"] = ev.S("type");
    }

    private static void AddEventsV1Fields(JsonObject ev, Dictionary<string, string> fields)
    {
        AddReference(ev.Obj("regarding"), "regarding", fields);
        fields["reason"] = ev.S("reason");
        fields["reportingController"] = ev.S("reportingController");
        fields["source"] = FirstNonEmpty(ev.S("deprecatedSource", "component"), ev.S("reportingController"));
        fields["type"] = ev.S("type");
    }

    private static void AddReference(JsonObject? reference, string prefix, Dictionary<string, string> fields)
    {
        foreach (var name in (string[])["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])
        {
            fields[prefix + "." + name] = reference.S(name);
        }
    }

    private static string FirstNonEmpty(string first, string second) => first.Length > 0 ? first : second;

    // strconv.FormatBool.
    private static string GoBool(bool value) => value ? "true" : "false";
}
