namespace K8sSharp.Kubelet.Tests;

/// <summary>A test that mounts file systems on the host: skipped, saying why, when not running as root (CI and make test run as root).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root (it mounts a tmpfs): run the tests as root, as make test does";
        }
    }
}
