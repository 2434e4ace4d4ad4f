using System.Globalization;
using System.Text;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>
/// A set of completion indexes printed as upstream's compressed interval string (status.completedIndexes,
/// status.failedIndexes): ascending, every run of consecutive indexes as <c>a-b</c>, e.g. <c>1-2,4,6-9</c>.
/// </summary>
internal sealed class IndexSet
{
    private readonly SortedSet<int> indexes;

    public IndexSet(IEnumerable<int>? indexes = null)
    {
        this.indexes = new SortedSet<int>(indexes ?? []);
    }

    public int Total => indexes.Count;

    public bool Has(int index) => indexes.Contains(index);

    public IEnumerable<int> Items => indexes;

    /// <summary>A new set with these indexes added.</summary>
    public IndexSet With(IEnumerable<int> more) => new(indexes.Concat(more));

    /// <summary>
    /// Parses an interval string, dropping indexes at or above <paramref name="completions"/> and malformed parts
    /// (upstream parseIndexesFromString logs and skips them).
    /// </summary>
    public static IndexSet Parse(string? text, int completions)
    {
        var result = new SortedSet<int>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }
            var last = first;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                continue;
            }
            for (var i = first; i <= Math.Min(last, completions - 1); i++)
            {
                result.Add(i);
            }
        }
        return new IndexSet(result);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        int? runStart = null;
        var previous = -2;
        foreach (var i in indexes)
        {
            if (i == previous + 1)
            {
                previous = i;
                continue;
            }
            AppendRun(text, runStart, previous);
            runStart = i;
            previous = i;
        }
        AppendRun(text, runStart, previous);
        return text.ToString();
    }

    private static void AppendRun(StringBuilder text, int? start, int end)
    {
        if (start is not { } first)
        {
            return;
        }
        if (text.Length > 0)
        {
            text.Append(',');
        }
        text.Append(first.ToString(CultureInfo.InvariantCulture));
        if (end != first)
        {
            text.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
        }
    }
}
