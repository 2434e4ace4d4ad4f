using System.Globalization;
using System.Text;
using System.Text.Json;

namespace K8sSharp.Bench;

/// <summary>A goal on one row: a ratio to the baseline, an offset from it, or an absolute bound.</summary>
internal sealed record Goal(string Text, Func<double, double, bool> Check)
{
    /// <summary>ours / baseline ≥ factor (throughput).</summary>
    public static Goal AtLeast(double factor) => new($">= {factor.ToString(CultureInfo.InvariantCulture)}x", (b, o) => o >= factor * b);

    /// <summary>ours / baseline ≤ factor (time).</summary>
    public static Goal AtMost(double factor) => new($"<= {factor.ToString(CultureInfo.InvariantCulture)}x", (b, o) => o <= factor * b);

    /// <summary>ours ≤ baseline + ms (tail latency).</summary>
    public static Goal PlusMs(double ms) => new($"<= base + {ms.ToString(CultureInfo.InvariantCulture)} ms", (b, o) => o <= b + ms);

    /// <summary>ours ≤ an absolute value in the row's unit.</summary>
    public static Goal PlusSeconds(double seconds) => new($"<= base + {seconds.ToString(CultureInfo.InvariantCulture)} s", (b, o) => o <= b + seconds);

    public static Goal Absolute(double max, string unit) => new($"<= {max.ToString(CultureInfo.InvariantCulture)} {unit}", (_, o) => o <= max);

    /// <summary>ours ≥ an absolute value in the row's unit (a throughput target).</summary>
    public static Goal AtLeastValue(double min, string unit) => new($">= {min.ToString(CultureInfo.InvariantCulture)} {unit}", (_, o) => o >= min);

    public static Goal None => new("(reference)", (_, _) => true);
}

/// <summary>One line of the result table: a metric of a scenario, its baseline, and whether the goal is met.</summary>
internal sealed record Row(string Scenario, string Metric, string Unit, string BaselineName, Summary Baseline, Summary Ours, Goal Goal, string Note = "")
{
    public double Ratio => Ours.Median / Baseline.Median;

    public bool? Met => Goal.Text == "(reference)" || double.IsNaN(Ours.Median) ? null : Goal.Check(Baseline.Median, Ours.Median);
}

internal sealed class Report(string runId, string environment)
{
    private readonly List<Row> rows = [];
    private readonly List<string> notes = [];

    public void Add(Row row)
    {
        rows.Add(row);
        Console.WriteLine($"    {row.Scenario} / {row.Metric}: {row.BaselineName} {row.Baseline.Format(row.Unit)} | ours {row.Ours.Format(row.Unit)} | ratio {Summary.Num(row.Ratio)}x | goal {row.Goal.Text} | {MetText(row.Met)}");
    }

    public void Note(string text)
    {
        notes.Add(text);
        Console.WriteLine("    note: " + text);
    }

    private static string MetText(bool? met) => met switch { true => "met", false => "MISSED", null => "-" };

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# K8sSharp bench {runId}");
        md.AppendLine();
        md.AppendLine(environment);
        md.AppendLine();
        md.AppendLine("Values: median of the repetitions [min–max]; ratio = ours median / baseline median.");
        md.AppendLine();
        md.AppendLine("| Scenario | Metric | Baseline | Baseline median | Ours median | Ratio | Goal | Met? |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Metric} | {r.BaselineName} | {r.Baseline.Format(r.Unit)} | {r.Ours.Format(r.Unit)} | {Summary.Num(r.Ratio)}x | {r.Goal.Text} | {MetText(r.Met)}{(r.Note.Length > 0 ? " (" + r.Note + ")" : "")} |");
        }
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var n in notes)
            {
                md.AppendLine("- " + n);
            }
        }
        return md.ToString();
    }

    public void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-34} {"metric",-14} {"baseline",-14} {"base median",16} {"ours median",16} {"ratio",8}  {"goal",-18} met?");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Scenario,-34} {r.Metric,-14} {r.BaselineName,-14} {Summary.Num(r.Baseline.Median) + " " + r.Unit,16} {Summary.Num(r.Ours.Median) + " " + r.Unit,16} {Summary.Num(r.Ratio) + "x",8}  {r.Goal.Text,-18} {MetText(r.Met)}");
        }
        var met = rows.Count(r => r.Met == true);
        var missed = rows.Count(r => r.Met == false);
        Console.WriteLine($"\n{met} goals met, {missed} missed");
    }

    /// <summary>Writes <c>&lt;run&gt;.json</c> and <c>&lt;run&gt;.md</c>; a complete run (every scenario) also becomes
    /// <c>latest.md</c>, which partial runs (<c>--only</c>) leave alone so it always shows a whole run.</summary>
    public void Write(string directory, bool complete)
    {
        Directory.CreateDirectory(directory);
        var json = new
        {
            run = runId,
            environment,
            rows = rows.Select(r => new
            {
                r.Scenario, r.Metric, r.Unit, baseline = r.BaselineName,
                baselineValues = r.Baseline.Values, baselineMedian = r.Baseline.Median,
                oursValues = r.Ours.Values, oursMedian = r.Ours.Median,
                ratio = r.Ratio, goal = r.Goal.Text, met = r.Met, note = r.Note,
            }),
            notes,
        };
        var options = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        File.WriteAllText(Path.Combine(directory, runId + ".json"), JsonSerializer.Serialize(json, options));
        var markdown = Markdown();
        File.WriteAllText(Path.Combine(directory, runId + ".md"), markdown);
        if (complete)
        {
            File.WriteAllText(Path.Combine(directory, "latest.md"), markdown);
        }
        Console.WriteLine($"==> results: {Path.Combine(directory, runId)}.json and .md{(complete ? " (and latest.md)" : string.Empty)}");
    }
}
