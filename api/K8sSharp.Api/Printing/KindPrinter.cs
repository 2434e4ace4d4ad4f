using System.Text.Json.Nodes;

namespace K8sSharp.Api.Printing;

/// <summary>
/// The table rendering of one kind: its column definitions and a function producing one row's cells,
/// one cell per column in the same order (the server always renders the wide form).
/// </summary>
/// <param name="Group">API group, "" for the core group.</param>
/// <param name="Kind">Kind name, e.g. "Deployment".</param>
/// <param name="Columns">Column definitions in display order.</param>
/// <param name="Cells">Cells of one object at the given "now" (ages are relative to it).</param>
internal sealed record KindPrinter(
    string Group,
    string Kind,
    IReadOnlyList<TableColumn> Columns,
    Func<JsonObject, DateTimeOffset, JsonArray> Cells);
