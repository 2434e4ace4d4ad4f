using Etcdserverpb;
using Google.Protobuf;

namespace K8sSharp.Bench;

/// <summary>Create throughput and latency: POST ConfigMap/Pod vs raw etcd puts of the same bytes at the same concurrency.</summary>
internal sealed partial class Scenarios
{
    public async Task CreatesAsync()
    {
        // Warm both paths (JIT, connections, TLS) outside the measurements.
        var warm = $"{run}-warm";
        var warmUid = await cluster.CreateNamespaceAsync(warm);
        namespaces.Add(warm);
        await Load.RunAsync(Scale(300), 16, i => cluster.PostAsync($"/api/v1/namespaces/{warm}/pods", Payloads.Pod(warm, $"w{i}", warmUid)));
        await Load.RunAsync(Scale(300), 16, i => cluster.PutAsync($"{etcdPrefix}warm/{i}", ByteString.CopyFrom(Payloads.Pod(warm, $"w{i}", warmUid))));

        foreach (var (kind, resource) in new[] { ("ConfigMap", "configmaps"), ("Pod", "pods") })
        {
            foreach (var inFlight in new[] { 1, 16, 64 })
            {
                var count = Scale(inFlight == 1 ? 600 : 3000);
                var baseline = new List<LoadResult>();
                var ours = new List<LoadResult>();
                for (var rep = 1; rep <= options.Reps; rep++)
                {
                    var ns = $"{run}-{resource[..3]}{inFlight}-r{rep}";
                    var uid = await cluster.CreateNamespaceAsync(ns);
                    namespaces.Add(ns);
                    var bodies = Enumerable.Range(0, count).Select(i => kind == "Pod" ? Payloads.Pod(ns, $"o{i}", uid) : Payloads.ConfigMap(ns, $"o{i}")).ToArray();
                    var values = bodies.Select(ByteString.CopyFrom).ToArray();
                    var prefix = $"{etcdPrefix}{resource}-{inFlight}-r{rep}/";
                    baseline.Add(await Load.RunAsync(count, inFlight, i => cluster.PutAsync(prefix + "o" + i, values[i]), Budget));
                    ours.Add(await Load.RunAsync(count, inFlight, i => cluster.PostAsync($"/api/v1/namespaces/{ns}/{resource}", bodies[i]), Budget));
                }
                var name = $"create {kind} ({Payloads.SizeOf(kind)}), {inFlight} in flight";
                report.Add(new Row(name, "ops/s", "ops/s", "etcd put", Of(baseline, r => r.OpsPerSecond), Of(ours, r => r.OpsPerSecond), Goal.AtLeast(0.5)));
                report.Add(new Row(name, "p99", "ms", "etcd put", Of(baseline, r => r.P99), Of(ours, r => r.P99), Goal.PlusMs(10)));
                if (inFlight == 1)
                {
                    report.Add(new Row(name, "p50", "ms", "etcd put", Of(baseline, r => r.P50), Of(ours, r => r.P50), Goal.PlusMs(1), "anchor S1"));
                }
            }
        }
    }

    /// <summary>GET one pod at 64 in flight vs a linearizable etcd get of its key and vs Kestrel serving the same bytes.</summary>
    public async Task GetsAsync(string ns, string name)
    {
        var path = $"/api/v1/namespaces/{ns}/pods/{name}";
        var body = await cluster.Api.GetByteArrayAsync(new Uri(path, UriKind.Relative));
        await using var constant = await ConstantServer.StartAsync(options, body);
        using var constantClient = Cluster.NewHttpClient(constant.Address, null, cluster.ValidateWithCa);
        var request = new RangeRequest { Key = Cluster.Key($"/registry/pods/{ns}/{name}") };
        var count = Scale(6000);
        await Load.RunAsync(Scale(1000), 64, _ => cluster.GetDrainAsync(constantClient, "/constant"));
        await Load.RunAsync(Scale(1000), 64, _ => cluster.GetDrainAsync(cluster.Api, path));
        await Load.RunAsync(Scale(1000), 64, async _ => await cluster.Kv.RangeAsync(request));
        var etcd = new List<LoadResult>();
        var kestrel = new List<LoadResult>();
        var ours = new List<LoadResult>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            etcd.Add(await Load.RunAsync(count, 64, async _ => await cluster.Kv.RangeAsync(request), Budget));
            kestrel.Add(await Load.RunAsync(count, 64, _ => cluster.GetDrainAsync(constantClient, "/constant"), Budget));
            ours.Add(await Load.RunAsync(count, 64, _ => cluster.GetDrainAsync(cluster.Api, path), Budget));
        }
        var scenario = $"get one Pod ({body.Length} B), 64 in flight";
        report.Add(new Row(scenario, "ops/s", "ops/s", "etcd get", Of(etcd, r => r.OpsPerSecond), Of(ours, r => r.OpsPerSecond), Goal.AtLeast(0.6)));
        report.Add(new Row(scenario, "ops/s", "ops/s", "Kestrel const", Of(kestrel, r => r.OpsPerSecond), Of(ours, r => r.OpsPerSecond), Goal.AtLeast(0.3), "anchor S2"));
        report.Add(new Row(scenario, "p99", "ms", "etcd get", Of(etcd, r => r.P99), Of(ours, r => r.P99), Goal.Absolute(20, "ms"), "anchor S2 target"));
    }
}
