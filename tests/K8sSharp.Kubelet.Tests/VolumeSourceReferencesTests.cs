using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Tests;

public sealed class VolumeSourceReferencesTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "c" }],
            Volumes =
            [
                new V1Volume { Name = "a", ConfigMap = new V1ConfigMapVolumeSource { Name = "direct-cm" } },
                new V1Volume { Name = "b", Secret = new V1SecretVolumeSource { SecretName = "direct-secret" } },
                new V1Volume
                {
                    Name = "c",
                    Projected = new V1ProjectedVolumeSource
                    {
                        Sources =
                        [
                            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "projected-cm" } },
                            new V1VolumeProjection { Secret = new V1SecretProjection { Name = "projected-secret" } },
                        ],
                    },
                },
            ],
        },
    };

    [Theory]
    [InlineData("direct-cm", true)]
    [InlineData("projected-cm", true)]
    [InlineData("direct-secret", false)]
    [InlineData("other", false)]
    public void ConfigMaps_are_found_in_configMap_and_projected_volumes(string name, bool used) =>
        VolumeSourceReferences.UsesConfigMap(Pod, name).Should().Be(used);

    [Theory]
    [InlineData("direct-secret", true)]
    [InlineData("projected-secret", true)]
    [InlineData("direct-cm", false)]
    public void Secrets_are_found_in_secret_and_projected_volumes(string name, bool used) =>
        VolumeSourceReferences.UsesSecret(Pod, name).Should().Be(used);
}
