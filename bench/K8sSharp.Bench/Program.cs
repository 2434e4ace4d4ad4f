using System.Globalization;
using K8sSharp.Bench;

// k8ssharp-bench: see bench/README.md. `serve-constant PORT CERT KEY` is the cold-start baseline process.
if (args.Length > 0 && args[0] == "serve-constant")
{
    var constant = ConstantServer.Build(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3], "{}"u8.ToArray());
    await constant.RunAsync();
    return 0;
}

var options = BenchOptions.Parse(args);
var run = "bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var environment = $"Run {run} on {Environment.ProcessorCount} cores ({Environment.OSVersion}, .NET {Environment.Version}); " +
    $"API {options.ApiUrl} over TLS HTTP/2 with the admin client certificate; etcd {options.EtcdUrl} through dotnet-etcd's generated KV/Watch stubs on one plain gRPC channel (no retry policy); " +
    $"{options.Reps} repetitions, baseline and ours interleaved per repetition; scale {options.Scale.ToString(CultureInfo.InvariantCulture)}, " +
    $"at most {options.BudgetSeconds.ToString(CultureInfo.InvariantCulture)} s per side per repetition; load average at start {File.ReadAllText("/proc/loadavg").Trim()}.";
Console.WriteLine("==> " + environment);
var report = new Report(run, environment);
using var cluster = new Cluster(options);
var scenarios = new Scenarios(cluster, options, report, run);
var only = options.Only;
var failed = false;
try
{
    if (only is null || only.Contains("cold"))
    {
        Console.WriteLine("==> cold start");
        await scenarios.ColdStartAsync();
        await scenarios.ClusterColdStartAsync();
    }
    string? listNs = null;
    if (only is null || only.Contains("list") || only.Contains("get") || only.Contains("memory"))
    {
        Console.WriteLine($"==> loading {options.ListSize} pods (memory)");
        listNs = await scenarios.LoadPodsAsync(options.ListSize);
    }
    if (listNs is not null && (only is null || only.Contains("list")))
    {
        Console.WriteLine("==> lists");
        await scenarios.ListsAsync(listNs, options.ListSize);
    }
    if (listNs is not null && (only is null || only.Contains("get")))
    {
        Console.WriteLine("==> get");
        await scenarios.GetsAsync(listNs, "p00001");
    }
    if (only is null || only.Contains("create"))
    {
        Console.WriteLine("==> creates");
        await scenarios.CreatesAsync();
    }
    if (only is null || only.Contains("schedule"))
    {
        Console.WriteLine("==> scheduling throughput");
        await scenarios.SchedulingAsync();
    }
    if (only is null || only.Contains("podstart"))
    {
        Console.WriteLine("==> pod start on Docker");
        await scenarios.PodStartAsync();
    }
    if (only is null || only.Contains("proxy"))
    {
        Console.WriteLine("==> proxy sync");
        await scenarios.ProxySyncAsync();
    }
    if (only is null || only.Contains("watch"))
    {
        Console.WriteLine($"==> watch fan-out ({options.Watchers} watchers x {options.Changes} changes)");
        await scenarios.WatchFanOutAsync(options.Watchers, options.Changes);
    }
}
catch (Exception e)
{
    failed = true;
    Console.Error.WriteLine($"error: a scenario failed: {e}");
    report.Note($"a scenario failed, later ones did not run: {e.GetType().Name}: {e.Message}");
}
finally
{
    await scenarios.CleanUpAsync();
}
report.Note($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()} (other processes on the same 2 cores skew both sides).");
report.PrintTable();
report.Write(options.ResultsDir, complete: options.Only is null);
return failed ? 1 : 0;
