using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace K8sSharp.Kubelet.Nodes;

/// <summary>The facts about this machine a Node reports (cAdvisor's machine info, the node IP, os-release, uname).</summary>
internal sealed record MachineInfo(
    string Hostname,
    string InternalIp,
    int Cpus,
    long MemoryBytes,
    long DiskBytes,
    string OsImage,
    string KernelVersion,
    string MachineId,
    string BootId)
{
    public static MachineInfo Detect(string rootDir)
    {
        return new MachineInfo(
            Environment.MachineName.ToLowerInvariant(),
            PrimaryIPv4() ?? "127.0.0.1",
            Environment.ProcessorCount,
            MemTotalBytes(),
            new DriveInfo(Path.GetFullPath(rootDir)).TotalSize,
            OsImageName(),
            ReadTrimmed("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
            ReadTrimmed("/etc/machine-id") ?? "",
            ReadTrimmed("/proc/sys/kernel/random/boot_id") ?? "");
    }

    /// <summary>The IPv4 address of the interface that holds the default route (/proc/net/route), else the first non-loopback one.</summary>
    public static string? PrimaryIPv4()
    {
        string? defaultInterface = null;
        if (File.Exists("/proc/net/route"))
        {
            foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
            {
                var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 2 && fields[1] == "00000000")
                {
                    defaultInterface = fields[0];
                    break;
                }
            }
        }
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(i => i.Name == defaultInterface ? 0 : 1);
        return candidates
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString();
    }

    private static long MemTotalBytes()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kib is null ? 0 : long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
    }

    private static string OsImageName()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        return pretty is null ? "Linux" : pretty["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
