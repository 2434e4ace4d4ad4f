using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Server-side table rendering (<c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c>): the
/// columns and row cells kube-apiserver 1.35 serves for each built-in kind. The server assembles the
/// <c>meta.k8s.io/v1 Table</c> (rows with <c>cells</c> and <c>object</c>) from these pieces.
/// <para>
/// Kinds are keyed by API group ("" for core) and kind; every served version of a kind shares one
/// printer, as upstream converts to the internal type first. Kinds without a printer — including Role,
/// ClusterRole and custom resources without printer columns — get upstream's default table:
/// Name and "Created At" (the creationTimestamp as RFC 3339).
/// </para>
/// </summary>
public static class TablePrinter
{
    private static readonly FrozenDictionary<(string Group, string Kind), KindPrinter> Printers =
        PodPrinter.All()
            .Concat(WorkloadPrinters.All())
            .Concat(BatchPrinters.All())
            .Concat(NetworkPrinters.All())
            .Concat(CorePrinters.All())
            .Concat(EventPrinter.All())
            .Concat(HpaPrinter.All())
            .Concat(PolicyPrinters.All())
            .Concat(ExtraPrinters.All())
            .ToFrozenDictionary(p => (p.Group, p.Kind));

    private static readonly TableColumn[] DefaultColumns =
    [
        Col.Name,
        new("Created At", "date", "", ColumnDocs.Age, 0),
    ];

    /// <summary>The (group, kind) pairs with a dedicated printer.</summary>
    internal static IEnumerable<(string Group, string Kind)> RegisteredKinds => Printers.Keys;

    /// <summary>Whether the kind has a dedicated printer (otherwise the default table is used).</summary>
    public static bool HasPrinter(string group, string kind) => Printers.ContainsKey((group, kind));

    /// <summary>The column definitions for the kind, in display order.</summary>
    public static IReadOnlyList<TableColumn> Columns(string group, string kind) =>
        Printers.TryGetValue((group, kind), out var printer) ? printer.Columns : DefaultColumns;

    /// <summary>
    /// One row's cells for <paramref name="obj"/>: strings, integers or booleans, one per column of
    /// <see cref="Columns"/> (wide columns included). Ages are computed relative to <paramref name="now"/>.
    /// Missing or malformed fields print as upstream prints zero values; this never throws for odd input.
    /// </summary>
    public static JsonArray Cells(string group, string kind, JsonObject obj, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Printers.TryGetValue((group, kind), out var printer) ? printer.Cells(obj, now) : DefaultCells(obj);
    }

    /// <summary>The <c>columnDefinitions</c> array of a Table: <c>{name, type, format, description, priority}</c>.</summary>
    public static JsonArray ColumnsJson(IReadOnlyList<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var array = new JsonArray();
        foreach (var column in columns)
        {
            array.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }
        return array;
    }

    // Go formats the zero time too, so a missing timestamp prints as year 1.
    private static JsonArray DefaultCells(JsonObject obj)
    {
        var created = obj.Time("metadata", "creationTimestamp")?.UtcDateTime ?? DateTime.MinValue;
        return new JsonArray(
            PrintFormat.Name(obj),
            created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
