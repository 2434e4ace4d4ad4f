using Google.Protobuf.Reflection;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// Scalar fields that are Go pointers (<c>*int32</c>, <c>*bool</c>, <c>*int64</c>) in k8s.io/api, where an
/// explicit zero differs from "unset" (defaulting fills unset ones: replicas 1, grace period 30s...). Go's
/// marshaller writes such a field only when it is set, so a zero on the wire for one of them is a real zero and
/// must survive decoding; zeros of every other scalar are Go's always-written non-pointer fields and are
/// dropped. The generated.proto files do not carry the distinction (everything is proto2 <c>optional</c>), hence
/// this table of <c>Message.field</c> (simple names, so beta versions are covered): the pointers that clients
/// set to zero or false in practice.
/// </summary>
internal static class GoPointerFields
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "DeploymentSpec.replicas", "ReplicaSetSpec.replicas", "StatefulSetSpec.replicas", "ReplicationControllerSpec.replicas",
        "ScaleSpec.replicas", "HorizontalPodAutoscalerSpec.minReplicas",
        "DeploymentSpec.revisionHistoryLimit", "DeploymentSpec.progressDeadlineSeconds",
        "StatefulSetSpec.revisionHistoryLimit", "DaemonSetSpec.revisionHistoryLimit",
        "DeleteOptions.gracePeriodSeconds",
        "PodSpec.terminationGracePeriodSeconds", "PodSpec.activeDeadlineSeconds", "PodSpec.automountServiceAccountToken",
        "PodSpec.enableServiceLinks", "PodSpec.shareProcessNamespace", "PodSpec.hostUsers", "PodSpec.setHostnameAsFQDN",
        "ServiceAccount.automountServiceAccountToken",
        "JobSpec.parallelism", "JobSpec.completions", "JobSpec.backoffLimit", "JobSpec.activeDeadlineSeconds",
        "JobSpec.ttlSecondsAfterFinished", "JobSpec.suspend", "JobSpec.manualSelector",
        "CronJobSpec.suspend", "CronJobSpec.startingDeadlineSeconds", "CronJobSpec.successfulJobsHistoryLimit",
        "CronJobSpec.failedJobsHistoryLimit",
        "SecurityContext.runAsUser", "SecurityContext.runAsGroup", "SecurityContext.runAsNonRoot", "SecurityContext.privileged",
        "SecurityContext.readOnlyRootFilesystem", "SecurityContext.allowPrivilegeEscalation",
        "PodSecurityContext.runAsUser", "PodSecurityContext.runAsGroup", "PodSecurityContext.runAsNonRoot",
        "PodSecurityContext.fsGroup",
        "ConfigMapKeySelector.optional", "SecretKeySelector.optional", "ConfigMapEnvSource.optional", "SecretEnvSource.optional",
        "ConfigMapVolumeSource.optional", "SecretVolumeSource.optional", "ConfigMapProjection.optional", "SecretProjection.optional",
        "ConfigMapVolumeSource.defaultMode", "SecretVolumeSource.defaultMode", "ProjectedVolumeSource.defaultMode",
        "DownwardAPIVolumeSource.defaultMode", "KeyToPath.mode",
        "ServiceSpec.allocateLoadBalancerNodePorts",
    };

    public static bool IsPointer(FieldDescriptor field) => Fields.Contains($"{field.ContainingType.Name}.{field.Name}");
}
