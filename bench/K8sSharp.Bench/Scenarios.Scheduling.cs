using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace K8sSharp.Bench;

/// <summary>
/// Scheduling throughput: N pods over M fake nodes (no kubelet; allocatable cpu 4, memory 16Gi, pods 110). Ours: a
/// k8ssharp-scheduler process of its own (scheduler name and lease of this run, so a cluster scheduler beside it never
/// touches these pods) started after the pods exist; pods bound per second from the first to the last binding seen
/// on a watch. Baseline: the bench posting the same number of pods/binding itself at 64 in flight (the API server's
/// binding capacity, which bounds any scheduler).
/// </summary>
internal sealed partial class Scenarios
{
    public async Task SchedulingAsync()
    {
        if (options.SchedulerDll is null)
        {
            report.Note("scheduling: --scheduler-dll not given, not measured.");
            return;
        }
        int nodes = Scale(100), pods = Scale(1000);
        var baseline = new List<double>();
        var ours = new List<double>();
        var total = new List<double>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            var name = $"{run}-r{rep}";
            var nodeNames = Enumerable.Range(0, nodes).Select(i => $"{name}-n{i:D3}").ToArray();
            await Load.RunAsync(nodes, 16, i => CreateFakeNodeAsync(nodeNames[i]));
            try
            {
                baseline.Add(await DirectBindingsAsync($"{run}-bind-r{rep}", pods, nodeNames));
                var (rate, seconds) = await SchedulerRunAsync($"{run}-sched-r{rep}", name, pods);
                ours.Add(rate);
                total.Add(seconds);
            }
            finally
            {
                await Load.RunAsync(nodes, 16, i => cluster.Api.DeleteAsync(new Uri($"/api/v1/nodes/{nodeNames[i]}", UriKind.Relative)));
            }
        }
        var scenario = $"schedule {pods:N0} pods on {nodes} fake nodes";
        report.Add(new Row(scenario, "pods bound/s", "pods/s", "direct bindings", new Summary([.. baseline]), new Summary([.. ours]), Goal.AtLeastValue(500, "pods/s")));
        report.Add(new Row(scenario, "process start to all bound", "s", "(none)", new Summary([.. total.Select(_ => double.NaN)]), new Summary([.. total]), Goal.None));
    }

    private async Task CreateFakeNodeAsync(string name)
    {
        var capacity = new JsonObject { ["cpu"] = "4", ["memory"] = "16Gi", ["pods"] = "110" };
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
        };
        await cluster.PostAsync("/api/v1/nodes", Encoding.UTF8.GetBytes(node.ToJsonString()));
        var status = new JsonObject { ["status"] = new JsonObject { ["capacity"] = capacity.DeepClone(), ["allocatable"] = capacity } };
        using var content = new StringContent(status.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
        using var response = await cluster.Api.PatchAsync(new Uri($"/api/v1/nodes/{name}/status", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    private async Task CreatePodsAsync(string ns, int count, string schedulerName)
    {
        await cluster.CreateNamespaceAsync(ns);
        namespaces.Add(ns);
        await Load.RunAsync(count, 64, i => cluster.PostAsync($"/api/v1/namespaces/{ns}/pods", Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = $"s{i}" },
            ["spec"] = new JsonObject
            {
                ["schedulerName"] = schedulerName,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "c",
                    ["image"] = "busybox",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" } },
                }),
            },
        }.ToJsonString())));
    }

    /// <summary>The baseline: bindings posted by the bench, round robin over the nodes, 64 in flight.</summary>
    private async Task<double> DirectBindingsAsync(string ns, int pods, string[] nodeNames)
    {
        await CreatePodsAsync(ns, pods, "k8ssharp-bench-nobody");
        var result = await Load.RunAsync(pods, 64, i => cluster.PostAsync($"/api/v1/namespaces/{ns}/pods/s{i}/binding", Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = $"s{i}" },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = nodeNames[i % nodeNames.Length] },
        }.ToJsonString())));
        await ForceDeletePodsAsync(ns);
        return result.OpsPerSecond;
    }

    private async Task<(double Rate, double Seconds)> SchedulerRunAsync(string ns, string schedulerName, int pods)
    {
        await CreatePodsAsync(ns, pods, schedulerName);
        var resourceVersion = (string?)JsonNode.Parse(await cluster.Api.GetStringAsync(new Uri($"/api/v1/namespaces/{ns}/pods?limit=1", UriKind.Relative)))?["metadata"]?["resourceVersion"];
        using var watchStop = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var clock = Stopwatch.StartNew();
        var bound = WatchPodsAsync(ns, resourceVersion!, pods, p => (string?)p["spec"]?["nodeName"] is { Length: > 0 }, clock, watchStop.Token);
        using var process = StartScheduler(schedulerName);
        try
        {
            var times = await bound;
            var rate = times.Count < 2 ? double.NaN : (times.Count - 1) / (times[^1] - times[0]);
            Console.WriteLine($"    {times.Count} of {pods} pods bound; {Summary.Num(rate)} pods/s from first to last binding, {Summary.Num(times.LastOrDefault())} s from process start");
            return (times.Count == pods ? rate : double.NaN, times.Count == pods ? times[^1] : double.NaN);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await ForceDeletePodsAsync(ns);
        }
    }

    /// <summary>
    /// Seconds since <paramref name="clock"/> started at which each pod of the namespace was first seen in a state
    /// <paramref name="reached"/> accepts, sorted; ends when all <paramref name="pods"/> have been, or at cancellation.
    /// </summary>
    private async Task<List<double>> WatchPodsAsync(string ns, string resourceVersion, int pods, Func<JsonNode, bool> reached, Stopwatch clock, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        var path = $"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={resourceVersion}&timeoutSeconds=170";
        try
        {
            using var response = await cluster.Api.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (seen.Count < pods && await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var pod = JsonNode.Parse(line)?["object"];
                if (pod is not null && reached(pod) && (string?)pod["metadata"]?["name"] is { } name)
                {
                    seen.TryAdd(name, clock.Elapsed.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Time limit: report what was bound.
        }
        return [.. seen.Values.Order()];
    }

    private Process StartScheduler(string name)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { options.SchedulerDll!, "--kubeconfig", Path.Combine(options.DataDir, "kubeconfig"), "--port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--scheduler-name", name, "--leader-elect-resource-name", name })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>No kubelet finishes the graceful deletion of bound pods: delete them at once, as a kubelet would confirm.</summary>
    private async Task ForceDeletePodsAsync(string ns)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/api/v1/namespaces/{ns}/pods", UriKind.Relative))
        {
            Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0}""", Encoding.UTF8, "application/json"),
        };
        using var response = await cluster.Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
