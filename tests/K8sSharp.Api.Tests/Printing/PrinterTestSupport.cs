using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K8sSharp.Api.Printing;

namespace K8sSharp.Api.Tests.Printing;

/// <summary>Shared clock and helpers: rows are compared as plain CLR values (string, long, bool).</summary>
internal static class PrinterTestSupport
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An RFC 3339 timestamp the given time before <see cref="Now"/>.</summary>
    public static string Ago(TimeSpan span) => (Now - span).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses JSON after replacing each <c>AGO:n</c> with the timestamp n seconds before <see cref="Now"/>.</summary>
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(Regex.Replace(json, @"AGO:(\d+)", m => Ago(TimeSpan.FromSeconds(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))))!.AsObject();

    public static object?[] Row(string group, string kind, JsonObject obj) =>
        [.. TablePrinter.Cells(group, kind, obj, Now).Select(Plain)];

    private static object? Plain(JsonNode? cell) => cell?.GetValueKind() switch
    {
        JsonValueKind.String => cell.GetValue<string>(),
        JsonValueKind.Number => cell.GetValue<long>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
