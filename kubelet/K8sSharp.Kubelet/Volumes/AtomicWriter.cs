using System.Globalization;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>One file of a projected payload: its bytes and Unix mode.</summary>
internal sealed record FileProjection(byte[] Data, UnixFileMode Mode);

/// <summary>
/// Writes a set of files into a volume directory so that readers never see a half-updated set (upstream's
/// pkg/volume/util/atomic_writer.go): the files go into a fresh hidden directory <c>..&lt;timestamp&gt;</c>, the
/// <c>..data</c> symlink is switched to it with one rename (<c>..data_tmp</c> → <c>..data</c>), every top-level
/// user-visible path is a symlink through <c>..data</c>, and then the previous timestamped directory and paths no
/// longer in the payload are removed. A payload identical to the current one writes nothing.
/// </summary>
internal sealed class AtomicWriter(string targetDir, TimeProvider time)
{
    public const string DataDirName = "..data";
    private const string NewDataDirName = "..data_tmp";

    /// <summary>Writes the payload (relative paths, no '..' elements); returns false when nothing changed.</summary>
    public bool Write(IReadOnlyDictionary<string, FileProjection> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        foreach (var path in payload.Keys)
        {
            Validate(path);
        }
        Directory.CreateDirectory(targetDir);
        var dataLink = Path.Combine(targetDir, DataDirName);
        var oldTsName = File.Exists(dataLink) || Directory.Exists(dataLink) ? new FileInfo(dataLink).LinkTarget : null;
        var oldTsDir = oldTsName is null ? null : Path.Combine(targetDir, oldTsName);
        if (oldTsDir is not null && Directory.Exists(oldTsDir) && SameContent(oldTsDir, payload))
        {
            return false;
        }
        var tsName = ".." + time.GetUtcNow().UtcDateTime.ToString("yyyy_MM_dd_HH_mm_ss.fffffff", CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        var tsDir = Path.Combine(targetDir, tsName);
        Directory.CreateDirectory(tsDir);
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(tsDir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, file.Data);
            File.SetUnixFileMode(full, file.Mode);
        }
        var newLink = Path.Combine(targetDir, NewDataDirName);
        File.Delete(newLink);
        File.CreateSymbolicLink(newLink, tsName);
        NativeFiles.Rename(newLink, dataLink);
        var visible = payload.Keys.Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        CreateUserVisibleLinks(visible);
        RemoveStalePaths(visible, tsName);
        return true;
    }

    private static void Validate(string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Any(e => e is ".." or "") || path.StartsWith("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid path in volume payload: \"{path}\"");
        }
    }

    private static bool SameContent(string dir, IReadOnlyDictionary<string, FileProjection> payload)
    {
        var existing = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).ToHashSet(StringComparer.Ordinal);
        if (!existing.SetEquals(payload.Keys))
        {
            return false;
        }
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(dir, path);
            if (File.GetUnixFileMode(full) != file.Mode || !File.ReadAllBytes(full).AsSpan().SequenceEqual(file.Data))
            {
                return false;
            }
        }
        return true;
    }

    private void CreateUserVisibleLinks(HashSet<string> visible)
    {
        foreach (var name in visible)
        {
            var link = Path.Combine(targetDir, name);
            var target = Path.Combine(DataDirName, name);
            if (new FileInfo(link).LinkTarget == target)
            {
                continue;
            }
            File.Delete(link);
            File.CreateSymbolicLink(link, target);
        }
    }

    private void RemoveStalePaths(HashSet<string> visible, string currentTsName)
    {
        foreach (var entry in new DirectoryInfo(targetDir).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            if (name is DataDirName || name == currentTsName || visible.Contains(name))
            {
                continue;
            }
            if (name.StartsWith("..", StringComparison.Ordinal) && entry is DirectoryInfo { LinkTarget: null } dir)
            {
                dir.Delete(recursive: true);
            }
            else if (entry.LinkTarget is not null && entry.LinkTarget.StartsWith(DataDirName + "/", StringComparison.Ordinal))
            {
                entry.Delete();
            }
        }
    }
}
