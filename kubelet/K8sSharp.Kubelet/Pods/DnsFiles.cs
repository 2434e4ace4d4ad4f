using System.Text;
using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>The resolver settings of a resolv.conf.</summary>
internal sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static ResolvConf Parse(string content)
    {
        List<string> nameservers = [], searches = [], options = [];
        foreach (var raw in (content ?? "").Split('\n'))
        {
            var fields = raw.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }
            switch (fields[0])
            {
                case "nameserver":
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    searches = [.. fields.Skip(1)];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /// <summary>The file as the dockershim wrote it: nameservers, then search, then options.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var server in Nameservers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }
        if (Searches.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', Searches).Append('\n');
        }
        if (Options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', Options).Append('\n');
        }
        return text.ToString();
    }
}

/// <summary>
/// A pod's /etc/resolv.conf and /etc/hosts, as upstream's kubelet computes them (pkg/kubelet/network/dns/dns.go,
/// kubelet_pods.go managedHostsFileContent).
/// </summary>
internal static class DnsFiles
{
    private const int MaxNameservers = 3;
    private const int MaxSearches = 32;

    /// <summary>
    /// dnsPolicy ClusterFirst (and ClusterFirstWithHostNet for hostNetwork pods): the cluster DNS, the pod's
    /// namespace search path, then the host's searches, ndots:5. Default (and ClusterFirst on the host network): the
    /// host's file. None: only dnsConfig. dnsConfig is merged last: nameservers and searches appended (duplicates
    /// dropped), options override by name.
    /// </summary>
    public static ResolvConf PodResolvConf(V1Pod pod, string clusterDns, string clusterDomain, ResolvConf host)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(host);
        var policy = pod.Spec.DnsPolicy ?? "ClusterFirst";
        var hostNetwork = pod.Spec.HostNetwork == true;
        var clusterFirst = (policy == "ClusterFirst" && !hostNetwork) || policy == "ClusterFirstWithHostNet";
        ResolvConf baseConf = policy switch
        {
            "None" => new ResolvConf([], [], []),
            _ when clusterFirst => new ResolvConf(
                [clusterDns],
                [$"{pod.Metadata.NamespaceProperty}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain, .. host.Searches],
                ["ndots:5"]),
            _ => host,
        };
        return Merge(baseConf, pod.Spec.DnsConfig);
    }

    private static ResolvConf Merge(ResolvConf conf, V1PodDNSConfig? extra)
    {
        var nameservers = conf.Nameservers.Concat(extra?.Nameservers ?? []).Distinct(StringComparer.Ordinal).Take(MaxNameservers);
        var searches = conf.Searches.Concat(extra?.Searches ?? []).Distinct(StringComparer.Ordinal).Take(MaxSearches);
        var options = new List<(string Name, string Text)>();
        foreach (var option in conf.Options)
        {
            options.Add((option.Split(':')[0], option));
        }
        foreach (var option in extra?.Options ?? [])
        {
            var text = option.Value is null ? option.Name : $"{option.Name}:{option.Value}";
            var index = options.FindIndex(o => o.Name == option.Name);
            if (index >= 0)
            {
                options[index] = (option.Name, text);
            }
            else
            {
                options.Add((option.Name, text));
            }
        }
        return new ResolvConf([.. nameservers], [.. searches], [.. options.Select(o => o.Text)]);
    }

    /// <summary>
    /// The pod's hostname (spec.hostname, else the pod name cut to 63 characters without a trailing '-' or '.') and,
    /// with spec.subdomain, its FQDN &lt;hostname&gt;.&lt;subdomain&gt;.&lt;ns&gt;.svc.&lt;domain&gt;.
    /// </summary>
    public static (string Hostname, string? Fqdn) PodHostname(V1Pod pod, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var hostname = string.IsNullOrEmpty(pod.Spec.Hostname) ? pod.Metadata.Name : pod.Spec.Hostname;
        if (hostname.Length > 63)
        {
            hostname = hostname[..63].TrimEnd('-', '.');
        }
        var fqdn = string.IsNullOrEmpty(pod.Spec.Subdomain)
            ? null
            : $"{hostname}.{pod.Spec.Subdomain}.{pod.Metadata.NamespaceProperty}.svc.{clusterDomain}";
        return (hostname, fqdn);
    }

    /// <summary>The Kubernetes-managed /etc/hosts: localhost lines, the pod's own IP and names, then hostAliases.</summary>
    public static string HostsFile(V1Pod pod, string podIp, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var (hostname, fqdn) = PodHostname(pod, clusterDomain);
        var text = new StringBuilder()
            .Append("# Kubernetes-managed hosts file.\n")
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("fe00::0\tip6-mcastprefix\n")
            .Append("fe00::1\tip6-allnodes\n")
            .Append("fe00::2\tip6-allrouters\n");
        text.Append(podIp).Append('\t').Append(fqdn is null ? hostname : $"{fqdn}\t{hostname}").Append('\n');
        if (pod.Spec.HostAliases is { Count: > 0 } aliases)
        {
            text.Append("\n# Entries added by HostAliases.\n");
            foreach (var alias in aliases)
            {
                text.Append(alias.Ip).Append('\t').AppendJoin('\t', alias.Hostnames ?? []).Append('\n');
            }
        }
        return text.ToString();
    }
}
