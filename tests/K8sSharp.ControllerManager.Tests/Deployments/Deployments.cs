using k8s.Models;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>Builders for the deployment tests, shaped like upstream's newDeployment and rs helpers.</summary>
internal static class Deployments
{
    public static readonly DateTime T0 = new(2016, 5, 20, 2, 0, 0, DateTimeKind.Utc);

    public static readonly Dictionary<string, string> Labels = new() { ["foo"] = "bar" };

    /// <summary>A RollingUpdate deployment; like upstream's helper, surge and unavailability default to 0 (which resolves to 0/1).</summary>
    public static V1Deployment New(int replicas, string? maxSurge = "0", string? maxUnavailable = "0", string name = "foo", string image = "busybox") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = "d-uid", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Labels) },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
            },
            Template = Template(image),
            RevisionHistoryLimit = 10,
            ProgressDeadlineSeconds = 600,
        },
        Status = new V1DeploymentStatus(),
    };

    public static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(Labels) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = image }] },
    };

    public static V1ReplicaSet Rs(string name, int replicas, DateTime created, int available = 0, string image = "old") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns",
            Uid = name + "-uid",
            CreationTimestamp = created,
            Labels = new Dictionary<string, string>(Labels),
            Annotations = new Dictionary<string, string>(),
        },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Labels) },
            Template = Template(image),
        },
        Status = new V1ReplicaSetStatus { Replicas = replicas, AvailableReplicas = available, ReadyReplicas = available },
    };
}
