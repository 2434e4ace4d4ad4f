using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>
/// The mount calls the kubelet makes itself (the rest is docker's binds): a tmpfs for emptyDir medium Memory, mounted on
/// the host under the pod's volume directory so every container of the pod binds the same one, and its unmount.
/// </summary>
internal static partial class NativeMounts
{
    private const int DetachFlag = 2; // MNT_DETACH: lazy, so a container still holding it does not fail the teardown

    /// <summary>Mounts a tmpfs (mode 0777, <paramref name="sizeBytes"/> when given) on <paramref name="dir"/> unless one is there.</summary>
    public static void MountTmpfs(string dir, long? sizeBytes)
    {
        if (MountPointsUnder(dir).Contains(dir))
        {
            return;
        }
        var options = sizeBytes is { } size ? $"mode=0777,size={size.ToString(CultureInfo.InvariantCulture)}" : "mode=0777";
        if (Mount("tmpfs", dir, "tmpfs", 0, options) != 0)
        {
            throw new IOException($"mount tmpfs on {dir}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    /// <summary>Unmounts every mount at or below <paramref name="dir"/>, deepest first.</summary>
    public static void UnmountUnder(string dir)
    {
        foreach (var mountPoint in MountPointsUnder(dir).OrderByDescending(p => p.Length))
        {
            if (Unmount(mountPoint, DetachFlag) != 0)
            {
                throw new IOException($"unmount {mountPoint}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            }
        }
    }

    /// <summary>Mount points at or below <paramref name="dir"/>, from /proc/self/mountinfo (field 5, octal-escaped).</summary>
    public static IReadOnlyList<string> MountPointsUnder(string dir)
    {
        var root = dir.TrimEnd('/');
        return File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(point => point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var text = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }
        return text.ToString();
    }

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mount(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Unmount(string target, int flags);
}
