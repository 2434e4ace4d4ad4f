using System.Diagnostics;
using System.Globalization;

namespace K8sSharp.Bench;

/// <summary>One repetition of a load: how many operations in how long, and each operation's latency.</summary>
internal sealed record LoadResult(int Operations, double Seconds, double[] LatenciesMs)
{
    public double OpsPerSecond => Operations / Seconds;

    public double P50 => Percentile(LatenciesMs, 0.50);

    public double P99 => Percentile(LatenciesMs, 0.99);

    public static double Percentile(double[] values, double q)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

/// <summary>Closed-loop load: <c>concurrency</c> workers run operations 0..count-1, each timed on its own.</summary>
internal static class Load
{
    /// <summary>Runs until <paramref name="count"/> operations are done or, with a <paramref name="budget"/>, until it is spent (then fewer are counted).</summary>
    public static async Task<LoadResult> RunAsync(int count, int concurrency, Func<int, Task> operation, TimeSpan? budget = null)
    {
        var latencies = new double[count];
        var next = -1;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        var deadline = budget is { } b ? started + (long)(b.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            int i;
            while (Stopwatch.GetTimestamp() < deadline && (i = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                Interlocked.Increment(ref done);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult(done, seconds, done == count ? latencies : latencies.Where(l => l > 0).ToArray());
    }
}

/// <summary>Median and range of the per-repetition values of one metric.</summary>
internal sealed record Summary(double[] Values)
{
    public double Median
    {
        get
        {
            var sorted = Values.Where(v => !double.IsNaN(v)).Order().ToArray();
            if (sorted.Length == 0)
            {
                return double.NaN;
            }
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public string Format(string unit) => Values.Length == 1
        ? Num(Median) + " " + unit
        : $"{Num(Median)} {unit} [{Num(Values.Min())}–{Num(Values.Max())}]";

    public static string Num(double v) => double.IsNaN(v) ? "n/a"
        : Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture)
        : v.ToString("0.00", CultureInfo.InvariantCulture);
}
