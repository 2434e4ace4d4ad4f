using System.Globalization;

namespace K8sSharp.Bench;

/// <summary>Command line: --etcd URL --api URL --data-dir DIR [--apiserver-pid N] [--apiserver-dll PATH] [--scheduler-dll PATH] [--cold-port N] [--node NAME]
/// [--reps 3] [--scale 1.0] [--list-size 10000] [--watchers N] [--changes N] [--budget SECONDS per side per repetition] [--results DIR] [--only a,b].</summary>
internal sealed record BenchOptions(
    string EtcdUrl, string ApiUrl, string DataDir, int? ApiServerPid, string? ApiServerDll, string? SchedulerDll, int ColdPort,
    int Reps, double Scale, int ListSize, int Watchers, int Changes, double BudgetSeconds, string ResultsDir, HashSet<string>? Only,
    string? Node)
{
    public static BenchOptions Parse(string[] args)
    {
        var v = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            v[args[i].TrimStart('-')] = args[i + 1];
        }
        string Get(string name, string fallback) => v.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new BenchOptions(
            Get("etcd", "http://127.0.0.1:2379"),
            Get("api", "https://127.0.0.1:6443"),
            Get("data-dir", ".k8ssharp"),
            v.TryGetValue("apiserver-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            v.GetValueOrDefault("apiserver-dll"),
            v.GetValueOrDefault("scheduler-dll"),
            Int("cold-port", 47443),
            Int("reps", 3),
            double.Parse(Get("scale", "1"), CultureInfo.InvariantCulture),
            Int("list-size", 10000),
            Int("watchers", 200),
            Int("changes", 200),
            double.Parse(Get("budget", "12"), CultureInfo.InvariantCulture),
            Get("results", "bench/results"),
            v.TryGetValue("only", out var only) ? [.. only.Split(',')] : null,
            v.GetValueOrDefault("node"));
    }
}
