using System.Net.Sockets;
using k8s.Models;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Volumes;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Kubelet.Tests;

/// <summary>Volumes that need no API call (the PVC and token sources are covered through the API server elsewhere).</summary>
public sealed class VolumeManagerTests : IDisposable
{
    private static readonly DownwardContext Context = new("10.244.0.9", "192.0.2.2", new Dictionary<string, ResourceQuantity>());
    private readonly string root = Path.Combine(Path.GetTempPath(), "k8ssharp-vol-" + Guid.NewGuid().ToString("N"));
    private readonly StaticObjects objects = new();
    private readonly VolumeManager volumes;

    public VolumeManagerTests()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        volumes = new VolumeManager(null!, objects, new PodPaths(root, Path.Combine(root, "logs")), new ServiceAccountTokens(null!, time), time);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private Task<Dictionary<string, MountSource>> SetUpAsync(params V1Volume[] list)
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes = [.. list];
        return volumes.SetUpAsync(pod, Context, CancellationToken.None);
    }

    [Fact]
    public async Task A_configmap_volume_projects_the_listed_items_with_their_modes_read_only()
    {
        objects.ConfigMaps.Add(TestPods.ConfigMap("team", "cfg", new() { ["a"] = "1", ["b"] = "2" }));

        var mounts = await SetUpAsync(new V1Volume
        {
            Name = "cfg",
            ConfigMap = new V1ConfigMapVolumeSource { Name = "cfg", Items = [new V1KeyToPath { Key = "b", Path = "dir/b.txt", Mode = 256 }] },
        });

        var source = mounts["cfg"];
        source.ReadOnly.Should().BeTrue();
        source.HostPath.Should().Be(Path.Combine(root, "pods", "uid-web", "volumes", "kubernetes.io~configmap", "cfg"));
        File.ReadAllText(Path.Combine(source.HostPath, "dir", "b.txt")).Should().Be("2");
        File.GetUnixFileMode(Path.Combine(source.HostPath, "dir", "b.txt")).Should().Be((UnixFileMode)256);
        File.Exists(Path.Combine(source.HostPath, "a")).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_secret_fails_the_mount_unless_optional()
    {
        var act = () => SetUpAsync(new V1Volume { Name = "sec", Secret = new V1SecretVolumeSource { SecretName = "nope" } });
        await act.Should().ThrowAsync<VolumeSetupException>().WithMessage("MountVolume.SetUp failed for volume \"sec\" : secret \"nope\" not found");

        var mounts = await SetUpAsync(new V1Volume { Name = "sec", Secret = new V1SecretVolumeSource { SecretName = "nope", Optional = true } });
        Directory.GetFiles(mounts["sec"].HostPath).Should().BeEmpty();
    }

    [Fact]
    public async Task EmptyDir_is_a_world_writable_directory()
    {
        var mounts = await SetUpAsync(new V1Volume { Name = "disk", EmptyDir = new V1EmptyDirVolumeSource() });

        File.GetUnixFileMode(mounts["disk"].HostPath).Should().Be((UnixFileMode)0b111_111_111);
        NativeMounts.MountPointsUnder(mounts["disk"].HostPath).Should().BeEmpty();
    }

    [RootFact]
    public async Task A_Memory_emptyDir_is_one_tmpfs_of_its_size_limit_mounted_once_and_unmounted_at_teardown()
    {
        var ram = new V1Volume { Name = "ram", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } };
        var mounts = await SetUpAsync(ram);
        await SetUpAsync(ram); // every pod sync sets volumes up again: still one mount
        var dir = mounts["ram"].HostPath;
        try
        {
            NativeMounts.MountPointsUnder(dir).Should().Equal([dir]);
            File.ReadLines("/proc/self/mounts").Count(l => l.Split(' ')[1] == dir).Should().Be(1);
            File.ReadLines("/proc/self/mounts").Single(l => l.Split(' ')[1] == dir).Should().StartWith("tmpfs ").And.Contain("size=1024k");
        }
        finally
        {
            volumes.TearDown(TestPods.Pod().Metadata.Uid);
        }
        NativeMounts.MountPointsUnder(dir).Should().BeEmpty();
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public async Task HostPath_types_are_checked_or_created()
    {
        var missing = Path.Combine(root, "missing");
        var act = () => SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = missing, Type = "Directory" } });
        await act.Should().ThrowAsync<VolumeSetupException>().WithMessage("*is not a directory");

        await SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = missing, Type = "DirectoryOrCreate" } });
        Directory.Exists(missing).Should().BeTrue();

        var file = Path.Combine(root, "f");
        await SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = file, Type = "FileOrCreate" } });
        await SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = file, Type = "File" } });
        var notSocket = () => SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = file, Type = "Socket" } });
        await notSocket.Should().ThrowAsync<VolumeSetupException>().WithMessage("*is not a socket");

        var socketPath = Path.Combine(root, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var mounts = await SetUpAsync(new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = socketPath, Type = "Socket" } });
        mounts["h"].HostPath.Should().Be(socketPath);
    }

    [Fact]
    public async Task DownwardApi_files_render_labels_and_fields()
    {
        var mounts = await SetUpAsync(new V1Volume
        {
            Name = "info",
            DownwardAPI = new V1DownwardAPIVolumeSource
            {
                Items =
                [
                    new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } },
                    new V1DownwardAPIVolumeFile { Path = "ip", FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } },
                ],
            },
        });

        File.ReadAllText(Path.Combine(mounts["info"].HostPath, "labels")).Should().Be("app=\"web\"");
        File.ReadAllText(Path.Combine(mounts["info"].HostPath, "ip")).Should().Be("10.244.0.9");
    }
}
