using System.Globalization;
using System.Text.RegularExpressions;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>Durations in Go's time.ParseDuration form as upstream flags take them: <c>40s</c>, <c>1m30s</c>, <c>500ms</c>, <c>2h</c>.</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            throw new FormatException($"invalid duration \"{text}\" (examples: 40s, 1m30s, 500ms)");
        }
        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }
        return total;
    }

    [GeneratedRegex(@"(?<value>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex Part();
}
