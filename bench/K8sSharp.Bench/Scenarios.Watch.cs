using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;

namespace K8sSharp.Bench;

/// <summary>
/// Watch fan-out: W watchers on one namespace (API) / one key prefix (etcd, one Watch stream each), then a burst of
/// N ConfigMap creates (16 in flight). Latency of a delivery = its receipt minus the moment its write was sent; every
/// watcher must see all N events with strictly increasing revisions.
/// </summary>
internal sealed partial class Scenarios
{
    private sealed class Deliveries(int watchers, int changes)
    {
        public readonly long[] SentAt = new long[changes];
        public readonly double[][] Latency = Enumerable.Range(0, watchers).Select(_ => new double[changes]).ToArray();
        public readonly int[] Received = new int[watchers];
        public readonly bool[] InOrder = Enumerable.Repeat(true, watchers).ToArray();
        public readonly long[] LastRevision = new long[watchers];
        public long LastAt;

        public void Record(int watcher, int seq, long revision, long now)
        {
            Latency[watcher][Received[watcher]] = Stopwatch.GetElapsedTime(SentAt[seq], now).TotalMilliseconds;
            Received[watcher]++;
            if (revision <= LastRevision[watcher])
            {
                InOrder[watcher] = false;
            }
            LastRevision[watcher] = revision;
            InterlockedMax(ref LastAt, now);
        }

        private static void InterlockedMax(ref long target, long value)
        {
            long seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private sealed record FanOut(double P50, double P99, double Seconds, double DeliveredPerSecond, bool Complete);

    public async Task WatchFanOutAsync(int watchers, int changes)
    {
        var b = new List<FanOut>();
        var o = new List<FanOut>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            b.Add(await EtcdFanOutAsync($"{etcdPrefix}watch-r{rep}/", watchers, changes));
            var ns = $"{run}-watch-r{rep}";
            await cluster.CreateNamespaceAsync(ns);
            namespaces.Add(ns);
            o.Add(await ApiFanOutAsync(ns, watchers, changes));
            Console.WriteLine($"    rep {rep}: etcd p99 {b[^1].P99:F0} ms in {b[^1].Seconds:F1} s; ours p99 {o[^1].P99:F0} ms in {o[^1].Seconds:F1} s, complete+ordered: {o[^1].Complete}");
        }
        var scenario = $"watch fan-out {watchers} watchers x {changes} creates";
        var complete = o.All(f => f.Complete);
        report.Add(new Row(scenario, "p99 delivery", "ms", "etcd watch", new Summary([.. b.Select(f => f.P99)]), new Summary([.. o.Select(f => f.P99)]), Goal.AtMost(1.0),
            complete ? "all delivered in order" : "NOT all delivered in order"));
        report.Add(new Row(scenario, "p50 delivery", "ms", "etcd watch", new Summary([.. b.Select(f => f.P50)]), new Summary([.. o.Select(f => f.P50)]), Goal.None));
        report.Add(new Row(scenario, "events/s", "ev/s", "etcd watch", new Summary([.. b.Select(f => f.DeliveredPerSecond)]), new Summary([.. o.Select(f => f.DeliveredPerSecond)]), Goal.AtLeast(1.0)));
        if (!complete)
        {
            report.Note("watch: some API watchers missed events or saw them out of order.");
        }
    }

    private async Task<FanOut> EtcdFanOutAsync(string prefix, int watchers, int changes)
    {
        var d = new Deliveries(watchers, changes);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ready = new List<Task>();
        var readers = new List<Task>();
        var calls = new List<IDisposable>();
        for (var w = 0; w < watchers; w++)
        {
            var call = cluster.Watch.Watch(cancellationToken: cts.Token);
            calls.Add(call);
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = Cluster.Key(prefix), RangeEnd = Cluster.PrefixEnd(prefix) } });
            var created = new TaskCompletionSource();
            ready.Add(created.Task);
            var watcher = w;
            readers.Add(Task.Run(async () =>
            {
                while (d.Received[watcher] < changes && await call.ResponseStream.MoveNext(cts.Token))
                {
                    var response = call.ResponseStream.Current;
                    if (response.Created)
                    {
                        created.TrySetResult();
                    }
                    var now = Stopwatch.GetTimestamp();
                    foreach (var e in response.Events)
                    {
                        d.Record(watcher, SeqOf(e.Kv.Key.Span), e.Kv.ModRevision, now);
                    }
                }
            }));
        }
        await Task.WhenAll(ready);
        var values = Enumerable.Range(0, changes).Select(i => ByteString.CopyFrom(Payloads.ConfigMap("watch", $"o{i}"))).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Load.RunAsync(changes, 16, i =>
        {
            d.SentAt[i] = Stopwatch.GetTimestamp();
            return cluster.PutAsync(prefix + "o" + i, values[i]);
        });
        await AwaitReaders(readers, cts);
        calls.ForEach(c => c.Dispose());
        return Summarize(d, start, watchers, changes);
    }

    private async Task<FanOut> ApiFanOutAsync(string ns, int watchers, int changes)
    {
        var d = new Deliveries(watchers, changes);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ready = new List<Task>();
        var readers = new List<Task>();
        var path = $"/api/v1/namespaces/{ns}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=600";
        for (var w = 0; w < watchers; w++)
        {
            var watcher = w;
            var established = new TaskCompletionSource();
            ready.Add(established.Task);
            readers.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await cluster.Api.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
                    response.EnsureSuccessStatusCode();
                    await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    while (d.Received[watcher] < changes && await reader.ReadLineAsync(cts.Token) is { } line)
                    {
                        var now = Stopwatch.GetTimestamp();
                        using var doc = JsonDocument.Parse(line);
                        var type = doc.RootElement.GetProperty("type").GetString();
                        var meta = doc.RootElement.GetProperty("object").GetProperty("metadata");
                        if (type == "BOOKMARK")
                        {
                            established.TrySetResult();
                            continue;
                        }
                        var name = meta.GetProperty("name").GetString()!;
                        // Only the bench's own ConfigMaps (o<i>): the controller-manager adds kube-root-ca.crt to every namespace.
                        if (name.StartsWith('o') && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                        {
                            d.Record(watcher, index, long.Parse(meta.GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture), now);
                        }
                    }
                }
                finally
                {
                    established.TrySetResult();
                }
            }));
        }
        await Task.WhenAll(ready);
        var bodies = Enumerable.Range(0, changes).Select(i => Payloads.ConfigMap(ns, $"o{i}")).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Load.RunAsync(changes, 16, i =>
        {
            d.SentAt[i] = Stopwatch.GetTimestamp();
            return cluster.PostAsync($"/api/v1/namespaces/{ns}/configmaps", bodies[i]);
        });
        await AwaitReaders(readers, cts);
        return Summarize(d, start, watchers, changes);
    }

    private static async Task AwaitReaders(List<Task> readers, CancellationTokenSource cts)
    {
        try
        {
            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            Console.WriteLine("    watch: not every watcher finished within 120 s");
        }
        await cts.CancelAsync();
    }

    private static FanOut Summarize(Deliveries d, long start, int watchers, int changes)
    {
        var all = d.Latency.SelectMany((l, w) => l.Take(d.Received[w])).ToArray();
        var complete = d.Received.All(r => r == changes) && d.InOrder.All(x => x);
        var seconds = Stopwatch.GetElapsedTime(start, d.LastAt).TotalSeconds;
        return new FanOut(LoadResult.Percentile(all, 0.5), LoadResult.Percentile(all, 0.99), seconds, all.Length / seconds, complete);
    }

    private static int SeqOf(ReadOnlySpan<byte> key)
    {
        var slash = key.LastIndexOf((byte)'/');
        return int.Parse(Encoding.ASCII.GetString(key[(slash + 2)..]), System.Globalization.CultureInfo.InvariantCulture);
    }
}
