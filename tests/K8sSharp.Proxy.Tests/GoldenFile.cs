using System.Runtime.CompilerServices;

namespace K8sSharp.Proxy.Tests;

/// <summary>
/// Compares text with a checked-in file under Golden/. Run with K8SSHARP_UPDATE_GOLDEN=1 to rewrite the files, then
/// review the diff: the files are the specification of the generated rules.
/// </summary>
internal static class GoldenFile
{
    public static void Verify(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name + ".txt");
        if (Environment.GetEnvironmentVariable("K8SSHARP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }
        File.Exists(path).Should().BeTrue($"golden file {path} exists (K8SSHARP_UPDATE_GOLDEN=1 writes it)");
        actual.Should().Be(File.ReadAllText(path), $"the generated rules equal {path}");
    }
}
