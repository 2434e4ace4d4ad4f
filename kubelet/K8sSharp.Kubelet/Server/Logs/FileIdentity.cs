using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// (device, inode) of a path or an open file, to notice that a followed log file was replaced (rotated, or rewritten
/// under the same name): .NET exposes neither stat's st_dev nor st_ino.
/// </summary>
internal static partial class FileIdentity
{
    /// <summary>struct stat on x86_64 glibc: st_dev at 0, st_ino at 8 (the only platform K8sSharp targets).</summary>
    private const int StatBufferSize = 256;

    /// <summary>True when <paramref name="path"/> now names another file than <paramref name="open"/>; false when it is missing.</summary>
    public static bool Replaced(string path, FileStream open)
    {
        ArgumentNullException.ThrowIfNull(open);
        var current = new byte[StatBufferSize];
        var opened = new byte[StatBufferSize];
        if (Stat(path, current) != 0 || FStat(open.SafeFileHandle, opened) != 0)
        {
            return false;
        }
        return !current.AsSpan(0, 16).SequenceEqual(opened.AsSpan(0, 16));
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "fstat")]
    private static partial int FStat(SafeFileHandle fd, [Out] byte[] buffer);
}
