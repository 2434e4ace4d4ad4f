using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace K8sSharp.Client.Configuration;

/// <summary>
/// Loads a kubeconfig file into the same <see cref="KubernetesClientConfiguration"/> as
/// <see cref="KubernetesClientConfiguration.BuildConfigFromConfigFile(string, string, string, bool)"/>, but with a YAML
/// deserializer for the kubeconfig types only: KubernetesClient's loader goes through its general YAML support, whose
/// first use registers overrides for every API model type, about a second of CPU in a fresh process (measured in the
/// scheduler, where it delayed the first binding). Relative certificate and key paths resolve against the file's
/// directory, as kubectl does.
/// </summary>
public static class Kubeconfig
{
    public static KubernetesClientConfiguration Load(string path, string? masterUrl = null) =>
        KubernetesClientConfiguration.BuildConfigFromConfigObject(Read(path), masterUrl: masterUrl);

    /// <summary>The file's contents as written (what <see cref="KubernetesClientConfiguration.LoadKubeConfig(string, bool)"/> returns).</summary>
    public static K8SConfiguration Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        var config = deserializer.Deserialize<K8SConfiguration?>(File.ReadAllText(fullPath))
            ?? throw new KubeConfigException($"kubeconfig {fullPath} is empty");
        config.FileName = fullPath;
        return config;
    }
}
