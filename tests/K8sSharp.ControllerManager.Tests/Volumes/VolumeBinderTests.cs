using FluentAssertions;
using k8s.Models;
using K8sSharp.ControllerManager.Volumes;
using Xunit;

namespace K8sSharp.ControllerManager.Tests.Volumes;

/// <summary>The binder's pure decisions: which volume a claim binds to, when it waits or is lost, what a volume sync does.</summary>
public sealed class VolumeBinderTests
{
    private static readonly V1Node Node1 = new() { Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "n1" } } };

    [Theory]
    [InlineData("smallest fit wins", "1500Mi", "", "v5,v2,v1", "v2")]
    [InlineData("an exact fit is a fit", "1Gi", "", "v5,v2,v1", "v1")]
    [InlineData("too small volumes never match", "3Gi", "", "v1,v2", null)]
    [InlineData("class must match", "1Gi", "fast", "v2", null)]
    [InlineData("class matches", "1Gi", "fast", "v2,f2", "f2")]
    [InlineData("volume bound elsewhere is skipped", "1Gi", "", "taken,v5", "v5")]
    [InlineData("volume pre-bound to this claim wins over a smaller free one", "1Gi", "", "v1,v2,pre", "pre")]
    [InlineData("selector restricts to labelled volumes", "1Gi", "sel", "v2,labelled", "labelled")]
    [InlineData("access modes must be included", "1Gi", "rwx", "v2,rwx", "rwx")]
    public void MatchesAsUpstream(string because, string request, string variant, string volumeNames, string? expected)
    {
        var claim = Claim("c", request, storageClass: variant == "fast" ? "fast" : "");
        if (variant == "sel")
        {
            claim.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } };
        }
        if (variant == "rwx")
        {
            claim.Spec.AccessModes = ["ReadWriteMany"];
        }
        var volumes = volumeNames.Split(',').Select(NamedVolume).ToList();

        var match = VolumeMatching.FindBest(claim, volumes, delayBinding: false, selectedNode: null);

        (match?.Metadata.Name).Should().Be(expected, because);
    }

    [Fact]
    public void DelayedBindingMatchesOnlyOnceANodeIsSelectedAndOnlyVolumesReachableFromIt()
    {
        var claim = Claim("c", "1Gi");
        var elsewhere = Volume("elsewhere", "1Gi");
        elsewhere.Spec.NodeAffinity = Affinity("n2");
        var here = Volume("here", "5Gi");
        here.Spec.NodeAffinity = Affinity("n1");

        VolumeMatching.FindBest(claim, [elsewhere, here], delayBinding: true, selectedNode: null).Should().BeNull();
        (VolumeMatching.FindBest(claim, [elsewhere, here], delayBinding: true, selectedNode: Node1)?.Metadata.Name).Should().Be("here");
    }

    [Fact]
    public void UnboundClaimOfWaitForFirstConsumerClassWaitsForItsConsumer()
    {
        var step = BindingDecisions.DecideClaim(Claim("c", "1Gi", "standard"), [], Class("standard", "WaitForFirstConsumer"), null);

        step.Should().Be(new ClaimStep.Wait("WaitForFirstConsumer", "waiting for first consumer to be created before binding"));
    }

    [Fact]
    public void ClaimWithSelectedNodeAndNoVolumeIsHandedToTheProvisioner()
    {
        var claim = Claim("c", "1Gi", "standard");
        claim.Metadata.Annotations = new Dictionary<string, string> { [VolumeNames.SelectedNode] = "n1" };

        var step = BindingDecisions.DecideClaim(claim, [], Class("standard", "WaitForFirstConsumer"), Node1);

        step.Should().BeOfType<ClaimStep.Wait>().Which.Should().Match<ClaimStep.Wait>(w =>
            w.Reason == "ExternalProvisioning" && w.Provisioner == "k8ssharp.io/local-path" && w.Message.Contains("'k8ssharp.io/local-path'"));
    }

    [Fact]
    public void ClaimWithoutClassAndNoVolumeFailsBindingWithUpstreamsMessage()
    {
        var step = BindingDecisions.DecideClaim(Claim("c", "1Gi"), [], null, null);

        step.Should().Be(new ClaimStep.Wait("FailedBinding", "no persistent volumes available for this claim and no storage class is set"));
    }

    [Fact]
    public void ClaimNamingAVolumeBindsToItWhenFreeAndWaitsWhenTaken()
    {
        var claim = Claim("c", "1Gi");
        claim.Spec.VolumeName = "v";
        var free = Volume("v", "1Gi");
        var taken = Volume("v", "1Gi");
        taken.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns", Name = "other", Uid = "other-uid" };

        BindingDecisions.DecideClaim(claim, [free], null, null).Should().Be(new ClaimStep.Bind(free));
        BindingDecisions.DecideClaim(claim, [taken], null, null).Should().BeOfType<ClaimStep.Wait>()
            .Which.Message.Should().Be("volume \"v\" already bound to a different claim.");
    }

    [Theory]
    [InlineData("", false, "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!")]
    [InlineData("v", false, "Bound claim has lost its PersistentVolume. Data on the volume is lost!")]
    public void BoundClaimWhoseVolumeIsGoneIsLost(string volumeName, bool volumeExists, string message)
    {
        var claim = Claim("c", "1Gi");
        claim.Spec.VolumeName = volumeName;
        claim.Metadata.Annotations = new Dictionary<string, string> { [VolumeNames.BindCompleted] = "yes" };

        var step = BindingDecisions.DecideClaim(claim, volumeExists ? [Volume("v", "1Gi")] : [], null, null);

        step.Should().Be(new ClaimStep.Lose("ClaimLost", message));
    }

    [Theory]
    [InlineData("no claimRef", null, null, "Pending", "MakeAvailable")]
    [InlineData("no claimRef, already Available", null, null, "Available", "None")]
    [InlineData("pre-bound by name only", "", null, "Pending", "MakeAvailable")]
    [InlineData("claim gone", "uid-1", null, "Bound", "Release")]
    [InlineData("claim recreated with another uid", "uid-1", "uid-2:v", "Bound", "Release")]
    [InlineData("already released", "uid-1", null, "Released", "None")]
    [InlineData("claim bound to it", "uid-1", "uid-1:v", "Pending", "MakeBound")]
    [InlineData("claim not yet pointing at it", "uid-1", "uid-1:", "Available", "None")]
    [InlineData("claim went to another volume", "uid-1", "uid-1:w", "Bound", "Unbind")]
    public void VolumeSync(string because, string? claimRefUid, string? claimUidAndVolume, string phase, string expected)
    {
        var volume = Volume("v", "1Gi");
        volume.Status = new V1PersistentVolumeStatus { Phase = phase };
        volume.Metadata.Annotations = new Dictionary<string, string> { [VolumeNames.BoundByController] = "yes" };
        if (claimRefUid is not null)
        {
            volume.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns", Name = "c", Uid = claimRefUid };
        }
        V1PersistentVolumeClaim? claim = null;
        if (claimUidAndVolume?.Split(':') is [var uid, var volumeName])
        {
            claim = Claim("c", "1Gi");
            claim.Metadata.Uid = uid;
            claim.Spec.VolumeName = volumeName;
        }

        BindingDecisions.DecideVolume(volume, claim).ToString().Should().Be(expected, because);
    }

    [Fact]
    public void LocalPathVolumeIsPreboundPinnedToTheNodeAndUnderTheBaseDirectory()
    {
        var claim = Claim("data", "2Gi", "standard");
        claim.Metadata.Uid = "abc";

        var volume = LocalPathVolumes.For(claim, LocalPathVolumes.DefaultClass(), "n1", "n1", "/var/lib/lp/");

        volume.Metadata.Name.Should().Be("pvc-abc");
        volume.Metadata.Annotations[VolumeNames.ProvisionedBy].Should().Be("k8ssharp.io/local-path");
        volume.Spec.HostPath.Path.Should().Be("/var/lib/lp/pvc-abc_ns_data");
        volume.Spec.HostPath.Type.Should().Be("DirectoryOrCreate");
        volume.Spec.PersistentVolumeReclaimPolicy.Should().Be("Delete");
        volume.Spec.Capacity["storage"].ToString().Should().Be("2Gi");
        volume.Spec.ClaimRef.Should().Match<V1ObjectReference>(r => r.Name == "data" && r.NamespaceProperty == "ns" && r.Uid == "abc");
        VolumeMatching.AdmitsNode(volume, Node1).Should().BeTrue();
        BindingDecisions.DecideClaim(claim, [volume], LocalPathVolumes.DefaultClass(), Node1).Should().Be(new ClaimStep.Bind(volume));
    }

    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(false, null, null, false)]
    [InlineData(true, "pvc-x", null, false)]
    [InlineData(true, null, "other.io/p", false)]
    public void ProvisionerActsOnlyOnUnboundClaimsHandedToIt(bool alive, string? volumeName, string? provisioner, bool expected)
    {
        var claim = Claim("c", "1Gi", "standard");
        claim.Spec.VolumeName = volumeName;
        claim.Metadata.Annotations = new Dictionary<string, string> { [VolumeNames.StorageProvisioner] = provisioner ?? VolumeNames.LocalPathProvisioner };
        claim.Metadata.DeletionTimestamp = alive ? null : DateTime.UtcNow;

        LocalPathProvisioner.WantsVolume(claim).Should().Be(expected);
    }

    [Theory]
    [InlineData("Running", "data", true)]
    [InlineData("Pending", "data", true)]
    [InlineData("Succeeded", "data", false)]
    [InlineData("Failed", "data", false)]
    [InlineData("Running", "other", false)]
    public void PodsProtectTheirClaimsUntilTheyTerminate(string phase, string claimName, bool expected)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns" },
            Spec = new V1PodSpec { Volumes = [new V1Volume { Name = "d", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName } }] },
            Status = new V1PodStatus { Phase = phase },
        };

        ClaimProtectionController.Uses(pod, "data").Should().Be(expected);
    }

    private static V1PersistentVolumeClaim Claim(string name, string request, string storageClass = "") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = "uid-" + name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(request) } },
        },
    };

    private static V1PersistentVolume Volume(string name, string size, string storageClass = "") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
        },
        Status = new V1PersistentVolumeStatus { Phase = "Available" },
    };

    /// <summary>v&lt;N&gt; a free N Gi volume; f2 of class fast; taken bound elsewhere; pre pre-bound to claim c; labelled tier=gold; rwx RWO+RWX.</summary>
    private static V1PersistentVolume NamedVolume(string name)
    {
        return name switch
        {
            "f2" => Volume(name, "2Gi", "fast"),
            "taken" => With(Volume(name, "1Gi"), v => v.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns", Name = "x", Uid = "x" }),
            "pre" => With(Volume(name, "10Gi"), v => v.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns", Name = "c" }),
            "labelled" => With(Volume(name, "4Gi"), v => v.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "gold" }),
            "rwx" => With(Volume(name, "4Gi"), v => v.Spec.AccessModes = ["ReadWriteOnce", "ReadWriteMany"]),
            _ => Volume(name, name[1..] + "Gi"),
        };
    }

    private static V1PersistentVolume With(V1PersistentVolume volume, Action<V1PersistentVolume> change)
    {
        change(volume);
        return volume;
    }

    private static V1StorageClass Class(string name, string mode) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Provisioner = VolumeNames.LocalPathProvisioner,
        VolumeBindingMode = mode,
    };

    private static V1VolumeNodeAffinity Affinity(string node) => new()
    {
        Required = new V1NodeSelector
        {
            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
        },
    };
}
