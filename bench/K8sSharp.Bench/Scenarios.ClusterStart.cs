using System.Diagnostics;
using System.Globalization;

namespace K8sSharp.Bench;

/// <summary>Cold start of a whole cluster: <c>hack/cold-start.sh</c> (a second cluster from hack/up.sh to its node Ready).</summary>
internal sealed partial class Scenarios
{
    private const string ColdStartScript = "hack/cold-start.sh";

    /// <summary>
    /// Runs the script once per repetition and reports the seconds it prints on its last line; no baseline (the goal
    /// is absolute). Skipped with a note when the script is not there (the bench runs from the checkout's root) or
    /// this process is not root (the second cluster's kubelet needs it).
    /// </summary>
    public async Task ClusterColdStartAsync()
    {
        if (!File.Exists(ColdStartScript) || !Environment.IsPrivilegedProcess)
        {
            report.Note($"cold start of the whole cluster: not measured ({ColdStartScript} needs root and the checkout's root as working directory).");
            return;
        }
        var seconds = new List<double>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            seconds.Add(await RunColdStartScriptAsync());
            Console.WriteLine($"    whole cluster to node Ready: {seconds[^1]:F2} s");
        }
        report.Add(new Row("cold start: hack/up.sh to node Ready", "seconds", "s", "(none)",
            new Summary([.. seconds.Select(_ => double.NaN)]), new Summary([.. seconds]), Goal.Absolute(5, "s"), "no proxy"));
    }

    private static async Task<double> RunColdStartScriptAsync()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ColdStartScript);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"{ColdStartScript} failed ({process.ExitCode}): {await error}");
        }
        foreach (var line in lines[..^1])
        {
            Console.WriteLine("    " + line.Trim());
        }
        return double.Parse(lines[^1], CultureInfo.InvariantCulture);
    }
}
