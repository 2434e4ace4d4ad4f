namespace K8sSharp.Kubelet.Volumes;

/// <summary>
/// hostPath's type checks (pkg/volume/hostpath): "" checks nothing; DirectoryOrCreate/FileOrCreate create what is
/// missing (a directory 0755 with parents, an empty file 0644); Directory, File, Socket, CharDevice, BlockDevice
/// require that kind of thing to exist.
/// </summary>
internal static class HostPathTypes
{
    public static void Check(string path, string? type)
    {
        ArgumentNullException.ThrowIfNull(path);
        switch (type ?? "")
        {
            case "":
                return;
            case "DirectoryOrCreate":
                if (!Directory.Exists(path))
                {
                    Directory.CreateDirectory(path, (UnixFileMode)0b111_101_101);
                }
                return;
            case "FileOrCreate":
                if (!File.Exists(path))
                {
                    using (File.Create(path))
                    {
                    }
                    File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
                }
                return;
            case "Directory":
                Require(Directory.Exists(path), path, "directory");
                return;
            case "File":
                Require(File.Exists(path) && Kind(path) == 0x8000, path, "file");
                return;
            case "Socket":
                Require(Kind(path) == 0xC000, path, "socket");
                return;
            case "CharDevice":
                Require(Kind(path) == 0x2000, path, "character device");
                return;
            case "BlockDevice":
                Require(Kind(path) == 0x6000, path, "block device");
                return;
            default:
                throw new VolumeSetupException($"unknown hostPath type \"{type}\"");
        }
    }

    private static void Require(bool ok, string path, string what)
    {
        if (!ok)
        {
            throw new VolumeSetupException($"hostPath type check failed: {path} is not a {what}");
        }
    }

    /// <summary>The file-type bits (S_IFMT) of <paramref name="path"/>, following links; 0 when it does not exist.</summary>
    private static int Kind(string path) => NativeFiles.Mode(path) & 0xF000;
}
