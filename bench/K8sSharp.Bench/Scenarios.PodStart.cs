using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace K8sSharp.Bench;

/// <summary>
/// Pod start on Docker, 1 pod and a batch of 10 at once. Baseline: <c>docker run -d</c> of a pause sandbox and a
/// busybox container joined to its network namespace (the CLI returns once the container runs), the floor any kubelet
/// pays. Ours: a Pod with spec.nodeName set to the cluster's node (no scheduler in the path) posted to the API
/// server, until a watch shows its Ready condition True (the kubelet's sandbox, CNI, container and status write).
/// </summary>
internal sealed partial class Scenarios
{
    private const string SandboxImage = "registry.k8s.io/pause:3.10";
    private const string WorkloadImage = "busybox:1.35";

    public async Task PodStartAsync()
    {
        if (options.Node is null)
        {
            report.Note("pod start: --node not given (a node of this cluster with a kubelet), not measured.");
            return;
        }
        var singleBase = new List<double>();
        var singleOurs = new List<double>();
        var batchBase = new List<double>();
        var batchOurs = new List<double>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            singleBase.Add(await DockerRunAsync($"{run}-d1-r{rep}", 1));
            singleOurs.Add(await PodsReadyAsync($"{run}-start1-r{rep}", 1));
            batchBase.Add(await DockerRunAsync($"{run}-d10-r{rep}", 10));
            batchOurs.Add(await PodsReadyAsync($"{run}-start10-r{rep}", 10));
        }
        var floor = new Summary([.. singleBase]).Median;
        report.Add(new Row("pod start on Docker, 1 pod", "create to Ready", "s", "docker run sandbox + container", new Summary([.. singleBase]), new Summary([.. singleOurs]), Goal.PlusSeconds(0.6)));
        report.Add(new Row("pod start on Docker, 10 at once", "create to all Ready", "s", "10 x docker run, concurrently", new Summary([.. batchBase]), new Summary([.. batchOurs]), Goal.AtMost(1.5)));
        Console.WriteLine($"    floor (one docker run pair) {Summary.Num(floor)} s");
    }

    /// <summary>Seconds until <paramref name="count"/> pause + busybox pairs, started concurrently, all run.</summary>
    private static async Task<double> DockerRunAsync(string prefix, int count)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var sandbox = $"{prefix}-{i}-pause";
            await DockerAsync("run", "-d", "--name", sandbox, SandboxImage);
            await DockerAsync("run", "-d", "--name", $"{prefix}-{i}-c", "--network", "container:" + sandbox, WorkloadImage, "sleep", "3600");
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var names = Enumerable.Range(0, count).SelectMany(i => new[] { $"{prefix}-{i}-c", $"{prefix}-{i}-pause" });
        await DockerAsync(["rm", "-f", .. names]);
        return seconds;
    }

    /// <summary>Runs the docker CLI and returns its standard output; throws when it fails.</summary>
    private static async Task<string> DockerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {await error}");
        }
        return output;
    }

    /// <summary>
    /// Waits until the kubelet has removed every container of the namespace's (force-deleted) pods, so the next
    /// measurement, of either side, starts on a quiet dockerd as the baseline's does after its synchronous
    /// <c>docker rm -f</c>. Before, the next pod start ran alongside the clean-up of the previous batch of 10 (a 2 s stop
    /// each, then CNI DEL and removal) and measured that too.
    /// </summary>
    private static async Task WaitForNodeCleanAsync(string ns)
    {
        for (var i = 0; i < 600; i++)
        {
            if (string.IsNullOrWhiteSpace(await DockerAsync("ps", "-aq", "--filter", $"label=io.kubernetes.pod.namespace={ns}")))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"the kubelet did not remove the containers of namespace {ns} within a minute of its pods' deletion");
    }

    /// <summary>Seconds from the first create until <paramref name="count"/> pods, created concurrently on the node, are all Ready.</summary>
    private async Task<double> PodsReadyAsync(string ns, int count)
    {
        await cluster.CreateNamespaceAsync(ns);
        namespaces.Add(ns);
        await WaitForDefaultServiceAccountAsync(ns);
        var resourceVersion = (string?)JsonNode.Parse(await cluster.Api.GetStringAsync(new Uri($"/api/v1/namespaces/{ns}/pods?limit=1", UriKind.Relative)))?["metadata"]?["resourceVersion"];
        using var watchStop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        var ready = WatchPodsAsync(ns, resourceVersion!, count, IsReady, clock, watchStop.Token);
        await Load.RunAsync(count, count, i => cluster.PostAsync($"/api/v1/namespaces/{ns}/pods", Encoding.UTF8.GetBytes(StartPod($"s{i}", options.Node!).ToJsonString())));
        var times = await ready;
        await ForceDeletePodsAsync(ns);
        await WaitForNodeCleanAsync(ns);
        return times.Count == count ? times[^1] : double.NaN;
    }

    /// <summary>The ServiceAccount admission needs the namespace's default ServiceAccount, which the controller-manager creates.</summary>
    private async Task WaitForDefaultServiceAccountAsync(string ns)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await cluster.Api.GetAsync(new Uri($"/api/v1/namespaces/{ns}/serviceaccounts/default", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"namespace {ns} got no default ServiceAccount in 10 s: is the controller-manager running?");
    }

    private static bool IsReady(JsonNode pod) =>
        pod["status"]?["conditions"] is JsonArray conditions && conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");

    private static JsonObject StartPod(string name, string node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["terminationGracePeriodSeconds"] = 0,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c",
                ["image"] = WorkloadImage,
                ["imagePullPolicy"] = "Never",
                ["command"] = new JsonArray("sleep", "3600"),
            }),
        },
    };
}
