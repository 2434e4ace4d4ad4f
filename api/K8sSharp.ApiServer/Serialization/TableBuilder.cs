using System.Text.Json.Nodes;
using K8sSharp.Api.Printing;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Serialization;

/// <summary>
/// Builds <c>meta.k8s.io/v1 Table</c> responses (server-side printing for <c>kubectl get</c>). Cells come from
/// <see cref="TablePrinter"/>; each row embeds the object as asked by <c>includeObject</c>: PartialObjectMetadata
/// (the default), the whole object, or nothing.
/// </summary>
internal sealed class TableBuilder(ApiResource resource, string includeObject, TimeProvider time)
{
    public JsonObject Build(IEnumerable<JsonObject> objects, JsonObject listMetadata, bool withColumns = true)
    {
        var now = time.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            rows.Add(Row(obj, now));
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
        };
        if (withColumns)
        {
            table["columnDefinitions"] = Columns();
        }
        table["rows"] = rows;
        return table;
    }

    private JsonArray Columns() => TablePrinter.ColumnsJson(TablePrinter.Columns(resource.Group, resource.Kind));

    private JsonObject Row(JsonObject obj, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = TablePrinter.Cells(resource.Group, resource.Kind, obj, now) };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }
        return row;
    }
}
