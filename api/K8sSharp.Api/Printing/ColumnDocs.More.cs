namespace K8sSharp.Api.Printing;

/// <summary>Descriptions for services, nodes, events, storage, autoscaling, RBAC and scheduling columns.</summary>
internal static partial class ColumnDocs
{
    internal const string SvcType =
        "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, " +
        "ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for " +
        "load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, " +
        "by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no " +
        "virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual " +
        "IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same " +
        "endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer " +
        "(if supported in the current cloud) which routes to the same endpoints as the clusterIP. " +
        "\"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply " +
        "to ExternalName services. More info: " +
        "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";

    internal const string SvcClusterIP =
        "clusterIP is the IP address of the service and is usually assigned randomly. If an address is " +
        "specified manually, is in-range (as per system configuration), and is not in use, it will be " +
        "allocated to the service; otherwise creation of the service will fail. This field may not be changed " +
        "through updates unless the type field is also being changed to ExternalName (which requires this " +
        "field to be blank) or the type field is being changed from ExternalName (in which case this field " +
        "may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a " +
        "valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful " +
        "when direct endpoint connections are preferred and proxying is not required.  Only applies to types " +
        "ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type " +
        "ExternalName, creation will fail. This field will be wiped when updating a Service to type " +
        "ExternalName. More info: " +
        "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";

    internal const string SvcExternalIPs =
        "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for " +
        "this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that " +
        "traffic arrives at a node with this IP.  A common example is external load-balancers that are not " +
        "part of the Kubernetes system.";

    internal const string SvcPorts =
        "The list of ports that are exposed by this service. More info: " +
        "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";

    internal const string SvcSelector =
        "Route service traffic to pods with label keys and values matching this selector. If empty or not " +
        "present, the service is assumed to have an external process managing its endpoints, which Kubernetes " +
        "will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is " +
        "ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/";

    internal const string EndpointsSubsets =
        "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to " +
        "the IPs they share. A single address with multiple ports, some of which are ready and some of which " +
        "are not (because they come from different containers) will result in the address being displayed in " +
        "different subsets for the different ports. No address will appear in both Addresses and " +
        "NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.";

    internal const string NodeKubeletVersion =
        "Kubelet Version reported by the node.";

    internal const string NodeAddresses =
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: " +
        "https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as " +
        "mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is " +
        "merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an " +
        "example. Consumers should assume that addresses can change during the lifetime of a Node. However, " +
        "there are some exceptions where this may not be possible, such as Pods that inherit a Node's address " +
        "in its own status or consumers of the downward API (status.hostIP).";

    internal const string NodeOsImage =
        "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).";

    internal const string NodeKernel =
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";

    internal const string NodeRuntime =
        "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).";

    internal const string EventLastTimestamp =
        "The time at which the most recent occurrence of this event was recorded.";

    internal const string EventType =
        "Type of this event (Normal, Warning), new types could be added in the future";

    internal const string EventReason =
        "This should be a short, machine understandable string that gives the reason for the transition into " +
        "the object's current status.";

    internal const string EventInvolvedObject =
        "The object that this event is about.";

    internal const string ObjectRefFieldPath =
        "If referring to a piece of an object instead of an entire object, this string should contain a valid " +
        "JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the " +
        "object reference is to a container within a pod, this would take on a value like: " +
        "\"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) " +
        "or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This " +
        "syntax is chosen only to have some well-defined way of referencing a part of an object.";

    internal const string EventSource =
        "The component reporting this event. Should be a short machine understandable string.";

    internal const string EventMessage =
        "A human-readable description of the status of this operation.";

    internal const string EventFirstTimestamp =
        "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";

    internal const string EventCount =
        "The number of times this event has occurred.";

    internal const string SecretType =
        "Used to facilitate programmatic handling of secret data. More info: " +
        "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types";

    internal const string SecretData =
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. " +
        "The serialized form of the secret data is a base64 encoded string, representing the arbitrary " +
        "(possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";

    internal const string SaSecrets =
        "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount " +
        "are allowed to use. Pods are only limited to this list if this service account has a " +
        "\"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The " +
        "\"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate " +
        "namespaces to isolate access to mounted secrets. This field should not be used to find " +
        "auto-generated service account token secrets for use outside of pods. Instead, tokens can be " +
        "requested directly using the TokenRequest API, or service account token secrets can be manually " +
        "created. More info: https://kubernetes.io/docs/concepts/configuration/secret";

    internal const string PvCapacity =
        "capacity is the description of the persistent volume's resources and capacity. More info: " +
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity";

    internal const string PvAccessModes =
        "accessModes contains all ways the volume can be mounted. More info: " +
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes";

    internal const string PvReclaim =
        "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its " +
        "claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default " +
        "for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported " +
        "by the volume plugin underlying this PersistentVolume. More info: " +
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming";

    internal const string PvPhase =
        "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: " +
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase";

    internal const string PvClaimRef =
        "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. " +
        "Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. " +
        "More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding";

    internal const string PvReason =
        "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and " +
        "tidy display in the CLI.";

    internal const string PvVolumeMode =
        "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in " +
        "raw block state. Value of Filesystem is implied when not included in spec.";

    internal const string PvcPhase =
        "phase represents the current phase of PersistentVolumeClaim.";

    internal const string PvcVolumeName =
        "volumeName is the binding reference to the PersistentVolume backing this claim.";

    internal const string PvcCapacity =
        "capacity represents the actual resources of the underlying volume.";

    internal const string PvcAccessModes =
        "accessModes contains the actual access modes the volume backing the PVC has. More info: " +
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1";

    internal const string PvcVolumeMode =
        "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when " +
        "not included in claim spec.";

    internal const string DeployUpdated =
        "Total number of non-terminating pods targeted by this deployment that have the desired template " +
        "spec.";

    internal const string DeployAvailable =
        "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this " +
        "deployment.";

    internal const string DeploySelector =
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones " +
        "affected by this deployment.";

    internal const string HpaRef =
        "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics " +
        "should be collected, as well as to actually change the replica count.";

    internal const string HpaMetrics =
        "metrics contains the specifications for which to use to calculate the desired replica count (the " +
        "maximum replica count across all metrics will be used).  The desired replica count is calculated " +
        "multiplying the ratio between the target value and the current value by the current number of pods.  " +
        "Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual " +
        "metric source types for more information about how each type of metric must respond.";

    internal const string HpaMin =
        "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  " +
        "It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is " +
        "enabled and at least one Object or External metric is configured.  Scaling is active as long as at " +
        "least one metric value is available.";

    internal const string HpaMax =
        "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It " +
        "cannot be less that minReplicas.";

    internal const string HpaCurrent =
        "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by " +
        "the autoscaler.";

    internal const string ConfigMapData =
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or " +
        "'.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data " +
        "must not overlap with the keys in the BinaryData field, this is enforced during validation process.";

    internal const string RoleBindingRoleRef =
        "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If " +
        "the RoleRef cannot be resolved, the Authorizer must return an error.";

    internal const string ClusterRoleBindingRoleRef =
        "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, " +
        "the Authorizer must return an error.";

    internal const string LeaseHolder =
        "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader " +
        "Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name " +
        "field.";

    internal const string ScProvisioner =
        "provisioner indicates the type of the provisioner.";

    internal const string ScReclaim =
        "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this " +
        "storage class. Defaults to Delete.";

    internal const string ScBinding =
        "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, " +
        "VolumeBindingImmediate is used. This field is only honored by servers that enable the " +
        "VolumeScheduling feature.";

    internal const string ScExpansion =
        "allowVolumeExpansion shows whether the storage class allow volume expand.";

    internal const string PcValue =
        "value represents the integer value of this priority class. This is the actual priority that pods " +
        "receive when they have the name of this class in their pod spec.";

    internal const string PcGlobalDefault =
        "globalDefault specifies whether this PriorityClass should be considered as the default priority for " +
        "pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. " +
        "However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the " +
        "smallest value of such global default PriorityClasses will be used as the default priority.";

    internal const string PcPreemption =
        "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, " +
        "PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.";

    internal const string EpsAddressType =
        "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice " +
        "must be the same type. This field is immutable after creation. The following address types are " +
        "currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: " +
        "Represents a Fully Qualified Domain Name.";

    internal const string EpsPorts =
        "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must " +
        "have a unique name. When ports is empty, it indicates that there are no defined ports. When a port " +
        "is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 " +
        "ports.";

    internal const string EpsEndpoints =
        "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 " +
        "endpoints.";
}
