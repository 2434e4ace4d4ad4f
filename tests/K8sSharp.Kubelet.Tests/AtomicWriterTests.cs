using System.Text;
using K8sSharp.Kubelet.Volumes;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Kubelet.Tests;

public sealed class AtomicWriterTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "k8ssharp-atomic-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, FileProjection> Payload(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileProjection(Encoding.UTF8.GetBytes(f.Text), (UnixFileMode)420));

    [Fact]
    public void Files_are_reached_through_the_data_symlink_to_a_timestamped_directory()
    {
        var writer = new AtomicWriter(dir, time);

        writer.Write(Payload(("greeting", "hello"), ("nested/deep", "x"))).Should().BeTrue();

        File.ReadAllText(Path.Combine(dir, "greeting")).Should().Be("hello");
        File.ReadAllText(Path.Combine(dir, "nested", "deep")).Should().Be("x");
        new FileInfo(Path.Combine(dir, "greeting")).LinkTarget.Should().Be("..data/greeting");
        new DirectoryInfo(Path.Combine(dir, "nested")).LinkTarget.Should().Be("..data/nested");
        new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget.Should().StartWith("..2026_01_02_03_04_05.");
        File.GetUnixFileMode(Path.Combine(dir, "greeting")).Should().Be((UnixFileMode)420);
    }

    [Fact]
    public void An_update_swaps_the_data_link_and_removes_the_old_directory_and_vanished_keys()
    {
        var writer = new AtomicWriter(dir, time);
        writer.Write(Payload(("a", "1"), ("b", "2")));
        var first = new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget!;
        time.Advance(TimeSpan.FromSeconds(1));

        writer.Write(Payload(("a", "changed"))).Should().BeTrue();

        File.ReadAllText(Path.Combine(dir, "a")).Should().Be("changed");
        Path.Exists(Path.Combine(dir, "b")).Should().BeFalse();
        Directory.Exists(Path.Combine(dir, first)).Should().BeFalse();
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Should().BeEquivalentTo(["a", "..data", new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget]);
    }

    [Fact]
    public void The_same_payload_writes_nothing()
    {
        var writer = new AtomicWriter(dir, time);
        writer.Write(Payload(("a", "1")));
        var target = new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget;
        time.Advance(TimeSpan.FromSeconds(1));

        writer.Write(Payload(("a", "1"))).Should().BeFalse();

        new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget.Should().Be(target);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("..hidden")]
    [InlineData("a//b")]
    public void Paths_that_could_escape_or_collide_are_rejected(string path)
    {
        var act = () => new AtomicWriter(dir, time).Write(Payload((path, "x")));
        act.Should().Throw<ArgumentException>();
    }
}
