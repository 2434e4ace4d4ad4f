namespace K8sSharp.Api.Printing;

/// <summary>
/// Column descriptions of the server-side tables. They are the Go doc comments upstream printers.go
/// reads through <c>SwaggerDoc()</c>, taken from the v1.35 OpenAPI documents (or, where printers.go
/// cites a beta type whose comment differs, from that type's generated.proto with the same
/// line-joining). Kept verbatim because clients show them in <c>kubectl explain</c>-like UIs.
/// </summary>
internal static partial class ColumnDocs
{
    internal const string Name =
        "Name must be unique within a namespace. Is required when creating resources, although some resources " +
        "may allow a client to request the generation of an appropriate name automatically. Name is primarily " +
        "intended for creation idempotence and configuration definition. Cannot be updated. More info: " +
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    internal const string Age =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is " +
        "not guaranteed to be set in happens-before order across separate operations. Clients may not set " +
        "this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. " +
        "Null for lists. More info: " +
        "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    internal const string PodIP =
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet " +
        "allocated.";

    internal const string PodNodeName =
        "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for " +
        "scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this " +
        "node becomes responsible for the lifecycle of this pod. This field should not be used to express a " +
        "desire for the pod to be scheduled on a specific node. " +
        "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename";

    internal const string PodNominatedNode =
        "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be " +
        "scheduled right away as preemption victims receive their graceful termination periods. This field " +
        "does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the " +
        "pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the " +
        "resources on this node to a higher priority pod that is created after preemption. As a result, this " +
        "field may be different than PodSpec.nodeName when the pod is scheduled.";

    internal const string PodReadinessGates =
        "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its " +
        "containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" " +
        "More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates";

    internal const string RcSpecReplicas =
        "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero " +
        "and unspecified. Defaults to 1. More info: " +
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";

    internal const string RcStatusReplicas =
        "Replicas is the most recently observed number of replicas. More info: " +
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller";

    internal const string RcReadyReplicas =
        "The number of ready replicas for this replication controller.";

    internal const string RcSelector =
        "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it " +
        "is defaulted to the labels present on the Pod template. Label keys and values that must match in " +
        "order to be controlled by this replication controller, if empty defaulted to labels on Pod template. " +
        "More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    internal const string RsSpecReplicas =
        "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and " +
        "unspecified. Defaults to 1. More info: " +
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset";

    internal const string RsStatusReplicas =
        "Replicas is the most recently observed number of non-terminating pods. More info: " +
        "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset";

    internal const string RsReadyReplicas =
        "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.";

    internal const string RsSelector =
        "Selector is a label query over pods that should match the replica count. If the selector is empty, " +
        "it is defaulted to the labels present on the pod template. Label keys and values that must match in " +
        "order to be controlled by this replica set. More info: " +
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    internal const string DsDesired =
        "The total number of nodes that should be running the daemon pod (including nodes correctly running " +
        "the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";

    internal const string DsCurrent =
        "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. " +
        "More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";

    internal const string DsReady =
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod " +
        "running and ready.";

    internal const string DsUpdated =
        "The total number of nodes that are running updated daemon pod";

    internal const string DsAvailable =
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod " +
        "running and available (ready for at least spec.minReadySeconds)";

    internal const string PodNodeSelector =
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must " +
        "match a node's labels for the pod to be scheduled on that node. More info: " +
        "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/";

    internal const string DsSelector =
        "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If " +
        "empty, defaulted to labels on Pod template. More info: " +
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    internal const string JobSucceeded =
        "The number of pods which reached phase Succeeded. The value increases monotonically for a given " +
        "spec. However, it may decrease in reaction to scale down of elastic indexed jobs.";

    internal const string JobSelector =
        "A label query over pods that should match the pod count. Normally, the system sets this field for " +
        "you. More info: " +
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    internal const string CronSchedule =
        "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.";

    internal const string CronTimeZone =
        "The time zone name for the given schedule, see " +
        "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to " +
        "the time zone of the kube-controller-manager process. The set of valid time zone names and the time " +
        "zone offset is loaded from the system-wide time zone database by the API server during CronJob " +
        "validation and the controller manager during execution. If no system-wide time zone database can be " +
        "found a bundled version of the database is used instead. If the time zone name becomes invalid " +
        "during the lifetime of a CronJob or due to a change in host configuration, the controller will stop " +
        "creating new new Jobs and will create a system event with the reason UnknownTimeZone. More " +
        "information can be found in " +
        "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones";

    internal const string CronSuspend =
        "This flag tells the controller to suspend subsequent executions, it does not apply to already " +
        "started executions.  Defaults to false.";

    internal const string CronActive =
        "A list of pointers to currently running jobs.";

    internal const string CronLastSchedule =
        "Information when was the last time the job was successfully scheduled.";
}
