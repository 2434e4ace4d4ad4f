namespace K8sSharp.Bench;

/// <summary>The scenarios of one run. Every API object lives in namespaces named after the run, every raw etcd key under /bench/&lt;run&gt;/; both are removed at the end.</summary>
internal sealed partial class Scenarios(Cluster cluster, BenchOptions options, Report report, string run)
{
    private readonly string etcdPrefix = $"/bench/{run}/";
    private readonly List<string> namespaces = [];

    /// <summary>Time limit of one side of one repetition; a slow path then counts fewer operations (latencies stay honest).</summary>
    private TimeSpan Budget => TimeSpan.FromSeconds(options.BudgetSeconds);

    private int Scale(int n) => Math.Max(1, (int)(n * options.Scale));

    private static Summary Of(IEnumerable<LoadResult> results, Func<LoadResult, double> metric) => new([.. results.Select(metric)]);

    public async Task CleanUpAsync()
    {
        foreach (var ns in namespaces)
        {
            try
            {
                await cluster.DeleteNamespaceAsync(ns);
            }
            catch (Exception e)
            {
                Console.WriteLine($"    cleanup: deleting namespace {ns} failed: {e.Message}");
            }
        }
        // Namespace deletion empties the namespace asynchronously; wait for it, or stopping the server leaves the
        // namespaces Terminating with their objects in etcd.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        var remaining = namespaces.ToList();
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var gone = new List<string>();
            foreach (var ns in remaining)
            {
                using var response = await cluster.Api.GetAsync(new Uri($"/api/v1/namespaces/{ns}", UriKind.Relative));
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    gone.Add(ns);
                }
            }
            remaining.RemoveAll(gone.Contains);
        }
        if (remaining.Count > 0)
        {
            report.Note($"cleanup: {remaining.Count} namespaces were still Terminating after 180 s: {string.Join(", ", remaining)}");
        }
        await cluster.DeletePrefixAsync(etcdPrefix);
        Console.WriteLine($"==> cleaned up: {namespaces.Count - remaining.Count} of {namespaces.Count} namespaces gone, etcd prefix {etcdPrefix} removed");
    }
}
