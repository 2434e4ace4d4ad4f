using System.ComponentModel;
using System.Runtime.InteropServices;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>The two file-system calls .NET does not expose as such: stat's file type and a plain rename(2).</summary>
internal static partial class NativeFiles
{
    /// <summary>st_mode sits at offset 24 of struct stat on x86_64 glibc (the only platform K8sSharp targets); the buffer is larger than the struct.</summary>
    private const int ModeOffset = 24;

    /// <summary>st_mode of <paramref name="path"/> (following links), or 0 when it does not exist: sockets and devices look like files to FileInfo.</summary>
    public static int Mode(string path)
    {
        var buffer = new byte[256];
        return Stat(path, buffer) == 0 ? BitConverter.ToInt32(buffer, ModeOffset) : 0;
    }

    /// <summary>
    /// rename(2): atomically replaces <paramref name="to"/> with <paramref name="from"/>, whatever they are. File.Move
    /// follows a symlink source and refuses one that points at a directory, which the atomic writer's swap needs.
    /// </summary>
    public static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            throw new IOException($"rename {from} {to}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameNative(string from, string to);
}
