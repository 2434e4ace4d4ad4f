using Docker.DotNet;

namespace K8sSharp.Kubelet.Tests;

/// <summary>
/// A test that needs the real dockerd (and the local images from hack/images/build.sh, and root for CNI): skipped,
/// saying why, only when the daemon cannot be reached.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public const string Endpoint = "unix:///var/run/docker.sock";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public DockerFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        try
        {
            using var client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
            client.System.PingAsync().Wait(TimeSpan.FromSeconds(5));
            var images = client.Images.ListImagesAsync(new Docker.DotNet.Models.ImagesListParameters { All = true }).GetAwaiter().GetResult();
            return images.Any(i => i.RepoTags?.Contains("busybox:1.35") == true) && images.Any(i => i.RepoTags?.Contains("registry.k8s.io/pause:3.10") == true)
                ? null
                : "busybox:1.35 and registry.k8s.io/pause:3.10 are not built (run hack/images/build.sh)";
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException or IOException or DockerApiException or TimeoutException)
        {
            return $"dockerd is not reachable at {Endpoint} ({e.GetBaseException().Message}): start it (make up starts one) to run the kubelet's Docker tests";
        }
    }
}
