using FluentAssertions;
using k8s.Models;
using K8sSharp.Kubelet.Volumes;
using Xunit;

namespace K8sSharp.Kubelet.Tests;

/// <summary>Which released local-path volumes this node's kubelet reclaims, and which directories it may remove.</summary>
public sealed class LocalPathReclaimerTests
{
    [Theory]
    [InlineData("ours, released, Delete, on this node", "k8ssharp.io/local-path", "Released", "Delete", "n1", true)]
    [InlineData("still bound", "k8ssharp.io/local-path", "Bound", "Delete", "n1", false)]
    [InlineData("Retain keeps the data", "k8ssharp.io/local-path", "Released", "Retain", "n1", false)]
    [InlineData("another node's volume", "k8ssharp.io/local-path", "Released", "Delete", "n2", false)]
    [InlineData("another provisioner's volume", "example.com/nfs", "Released", "Delete", "n1", false)]
    public void ReclaimsOnlyItsOwnReleasedDeleteVolumes(string because, string provisioner, string phase, string policy, string node, bool expected)
    {
        var volume = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pvc-1", Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/provisioned-by"] = provisioner } },
            Spec = new V1PersistentVolumeSpec
            {
                PersistentVolumeReclaimPolicy = policy,
                HostPath = new V1HostPathVolumeSource { Path = "/base/pvc-1_ns_data" },
                NodeAffinity = new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] },
                        ],
                    },
                },
            },
            Status = new V1PersistentVolumeStatus { Phase = phase },
        };

        LocalPathReclaimer.ShouldReclaim(volume, "n1").Should().Be(expected, because);
    }

    [Theory]
    [InlineData("/base/pvc-1_ns_data", true)]
    [InlineData("/base/pvc-1_ns_data/", true)]
    [InlineData("/base", false)]
    [InlineData("/base/a/b", false)]
    [InlineData("/base/../etc", false)]
    [InlineData("/elsewhere/pvc-1", false)]
    public void RemovesOnlyDirectChildrenOfTheBaseDirectory(string path, bool expected) =>
        LocalPathReclaimer.IsInside(path, "/base/").Should().Be(expected);
}
