using System.Diagnostics;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;

namespace K8sSharp.Bench;

/// <summary>10k pods: the API server's RSS growth while loading them, then lists vs raw etcd ranges of the same keys.</summary>
internal sealed partial class Scenarios
{
    private static readonly byte[] ContinueField = Encoding.UTF8.GetBytes("\"continue\":\"");

    /// <summary>Loads <paramref name="count"/> pods (every 100th labelled bench-selected=yes) and measures the server's RSS around it.</summary>
    public async Task<string> LoadPodsAsync(int count)
    {
        var ns = $"{run}-list";
        var uid = await cluster.CreateNamespaceAsync(ns);
        namespaces.Add(ns);
        // Warm the create path first (JIT, pools, connections), so that the growth counts the pods, not the code.
        var warm = $"{run}-mwarm";
        var warmUid = await cluster.CreateNamespaceAsync(warm);
        namespaces.Add(warm);
        await Load.RunAsync(300, 64, i => cluster.PostAsync($"/api/v1/namespaces/{warm}/pods", Payloads.Pod(warm, $"w{i}", warmUid)));
        var rssBefore = await SettledRssAsync();
        var load = await Load.RunAsync(count, 64, i => cluster.PostAsync($"/api/v1/namespaces/{ns}/pods", Payloads.Pod(ns, $"p{i:D5}", uid, selected: i % 100 == 0)));
        Console.WriteLine($"    loaded {count} pods in {load.Seconds:F1} s ({load.OpsPerSecond:F0}/s)");
        var rssAfter = await SettledRssAsync();
        var all = await cluster.Kv.RangeAsync(new RangeRequest { Key = Cluster.Key($"/registry/pods/{ns}/"), RangeEnd = Cluster.PrefixEnd($"/registry/pods/{ns}/") });
        var rawBytes = all.Kvs.Sum(kv => (long)kv.Value.Length);
        if (all.Kvs.Count != count)
        {
            throw new InvalidOperationException($"expected {count} pods in etcd, found {all.Kvs.Count}");
        }
        if (rssBefore is { } before && rssAfter is { } after)
        {
            var growthMiB = (after - before) / 1048576.0;
            var rawMiB = rawBytes / 1048576.0;
            report.Add(new Row($"API server RSS growth, {count} pods", "MiB", "MiB", "raw JSON", new Summary([rawMiB]), new Summary([growthMiB]), Goal.AtMost(3), "1 run"));
            report.Note($"memory: RSS {before / 1048576.0:F0} MiB before loading, {after / 1048576.0:F0} MiB after (2 s settle); stored JSON {rawMiB:F1} MiB ({rawBytes / count} B per pod as stored).");
        }
        else
        {
            report.Note("memory: API server pid unknown (--apiserver-pid), RSS not measured.");
        }
        return ns;
    }

    private async Task<long?> SettledRssAsync()
    {
        if (options.ApiServerPid is not { } pid)
        {
            return null;
        }
        await Task.Delay(2000);
        foreach (var line in await File.ReadAllLinesAsync($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }

    public async Task ListsAsync(string ns, int count)
    {
        var prefix = $"/registry/pods/{ns}/";
        var iterations = Math.Max(3, Scale(6));
        // Whole list.
        await Measure($"list {count} pods, whole", "etcd range", Goal.AtMost(1.0), iterations,
            async () => (await cluster.Kv.RangeAsync(new RangeRequest { Key = Cluster.Key(prefix), RangeEnd = Cluster.PrefixEnd(prefix) })).Kvs.Count,
            async () => await cluster.GetDrainAsync(cluster.Api, $"/api/v1/namespaces/{ns}/pods"));
        // Pages of 500 at one revision.
        await Measure($"list {count} pods, pages of 500", "etcd range/500", Goal.AtMost(1.0), iterations,
            () => EtcdPagesAsync(prefix), () => ApiPagesAsync($"/api/v1/namespaces/{ns}/pods?limit=500"));
        // Label-selected: 100 of them. Baseline: a raw range of 100 keys (the same amount of data).
        await Measure($"list label-selected 100 of {count}", "etcd range 100", Goal.Absolute(20, "ms"), Scale(40),
            async () => (await cluster.Kv.RangeAsync(new RangeRequest { Key = Cluster.Key(prefix), RangeEnd = Cluster.PrefixEnd(prefix), Limit = 100 })).Kvs.Count,
            async () => await cluster.GetDrainAsync(cluster.Api, $"/api/v1/namespaces/{ns}/pods?labelSelector=bench-selected%3Dyes"), p99: true);
    }

    private async Task Measure(string scenario, string baselineName, Goal goal, int iterations, Func<Task<long>> baseline, Func<Task<long>> ours, bool p99 = false)
    {
        await baseline();
        await ours();
        var b = new List<LoadResult>();
        var o = new List<LoadResult>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            b.Add(await Load.RunAsync(iterations, 1, _ => baseline(), Budget));
            o.Add(await Load.RunAsync(iterations, 1, _ => ours(), Budget));
        }
        if (p99)
        {
            report.Add(new Row(scenario, "p99", "ms", baselineName, Of(b, r => r.P99), Of(o, r => r.P99), goal));
        }
        else
        {
            report.Add(new Row(scenario, "p50", "ms", baselineName, Of(b, r => r.P50), Of(o, r => r.P50), goal));
            report.Add(new Row(scenario, "p99", "ms", baselineName, Of(b, r => r.P99), Of(o, r => r.P99), Goal.None, $"{iterations} per rep"));
        }
    }

    private async Task<long> EtcdPagesAsync(string prefix)
    {
        var end = Cluster.PrefixEnd(prefix);
        var key = Cluster.Key(prefix);
        long revision = 0;
        long items = 0;
        while (true)
        {
            var page = await cluster.Kv.RangeAsync(new RangeRequest { Key = key, RangeEnd = end, Limit = 500, Revision = revision });
            revision = page.Header.Revision;
            items += page.Kvs.Count;
            if (!page.More)
            {
                return items;
            }
            key = ByteString.CopyFrom([.. page.Kvs[^1].Key.Span, 0]);
        }
    }

    private async Task<long> ApiPagesAsync(string path)
    {
        long bytes = 0;
        string? token = null;
        do
        {
            var url = token is null ? path : path + "&continue=" + Uri.EscapeDataString(token);
            var body = await cluster.Api.GetByteArrayAsync(new Uri(url, UriKind.Relative));
            bytes += body.Length;
            token = ContinueOf(body);
        }
        while (token is not null);
        return bytes;
    }

    /// <summary>The list's metadata.continue, found by scanning (pods never carry a "continue" key) rather than parsing 2 MB.</summary>
    private static string? ContinueOf(byte[] body)
    {
        var at = body.AsSpan().IndexOf(ContinueField);
        if (at < 0)
        {
            return null;
        }
        var start = at + ContinueField.Length;
        var end = body.AsSpan(start).IndexOf((byte)'"');
        var token = Encoding.UTF8.GetString(body, start, end);
        return token.Length == 0 ? null : token;
    }

    /// <summary>Cold start: a fresh API server process (existing PKI, same etcd, another port) to /readyz, vs a bare Kestrel process.</summary>
    public async Task ColdStartAsync()
    {
        if (options.ApiServerDll is null)
        {
            report.Note("cold start: --apiserver-dll not given, not measured.");
            return;
        }
        var dir = Path.Combine(Path.GetTempPath(), $"k8ssharp-bench-{run}");
        Directory.CreateDirectory(Path.Combine(dir, "pki"));
        foreach (var f in Directory.GetFiles(Path.Combine(options.DataDir, "pki")))
        {
            File.Copy(f, Path.Combine(dir, "pki", Path.GetFileName(f)), overwrite: true);
        }
        var self = typeof(Scenarios).Assembly.Location;
        var pki = Path.Combine(options.DataDir, "pki");
        var b = new List<double>();
        var o = new List<double>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            b.Add(await StartToReadyAsync(options.ColdPort, [self, "serve-constant", options.ColdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(pki, "apiserver.crt"), Path.Combine(pki, "apiserver.key")]));
            o.Add(await StartToReadyAsync(options.ColdPort, [options.ApiServerDll, "--data-dir", dir, "--etcd-servers", options.EtcdUrl, "--secure-port", options.ColdPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        }
        Directory.Delete(dir, recursive: true);
        report.Add(new Row("cold start: process to /readyz ok", "seconds", "s", "bare Kestrel", new Summary([.. b]), new Summary([.. o]), Goal.Absolute(5, "s")));
    }

    private async Task<double> StartToReadyAsync(int port, string[] args)
    {
        using var client = Cluster.NewHttpClient(new Uri($"https://127.0.0.1:{port}"), null, cluster.ValidateWithCa);
        client.DefaultRequestVersion = System.Net.HttpVersion.Version11;
        client.Timeout = TimeSpan.FromSeconds(2);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    if (await client.GetStringAsync(new Uri("/readyz", UriKind.Relative)) == "ok")
                    {
                        return sw.Elapsed.TotalSeconds;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {process.ExitCode}");
                }
                await Task.Delay(20);
            }
            throw new TimeoutException($"dotnet {args[0]} was not ready within 60 s");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
