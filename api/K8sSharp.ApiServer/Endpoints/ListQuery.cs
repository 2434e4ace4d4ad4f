using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.Api.Selection;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Parses list and watch parameters: label and field selectors (only the fields the kind supports, as upstream),
/// limit/continue and resourceVersion/resourceVersionMatch.
/// </summary>
internal static class ListQuery
{
    public static ListRequest Parse(HttpRequest request, ApiResource resource, string? watchedName = null)
    {
        var (filter, prefilter) = BuildFilter(request.Get("labelSelector"), request.Get("fieldSelector"), resource, watchedName);
        var limit = request.GetLong("limit") ?? 0;
        var match = request.Get("resourceVersionMatch");
        if (match is not null and not "" and not "Exact" and not "NotOlderThan")
        {
            throw ApiException.BadRequest($"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        var continueToken = request.Get("continue");
        if (!string.IsNullOrEmpty(continueToken) && !string.IsNullOrEmpty(request.Get("resourceVersion")))
        {
            throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
        }
        return new ListRequest(filter, prefilter, (int)Math.Clamp(limit, 0, int.MaxValue), continueToken, request.Get("resourceVersion"), match);
    }

    private static (Func<JsonObject, bool>? Filter, ListPrefilter? Prefilter) BuildFilter(string? labelText, string? fieldText, ApiResource resource, string? watchedName)
    {
        LabelSelector? labels;
        FieldSelector? fields;
        try
        {
            labels = string.IsNullOrWhiteSpace(labelText) ? null : LabelSelector.Parse(labelText);
            var fieldSource = watchedName is null ? fieldText : $"metadata.name={watchedName}" + (string.IsNullOrEmpty(fieldText) ? string.Empty : "," + fieldText);
            fields = string.IsNullOrWhiteSpace(fieldSource)
                ? null
                : FieldSelectorFields.Convert(resource.Group, resource.Kind, FieldSelector.Parse(fieldSource));
        }
        catch (SelectorParseException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
        if (labels is null && fields is null)
        {
            return (null, null);
        }
        var name = fields is not null && fields.RequiresExactMatch("metadata.name", out var exact) ? exact : null;
        return (obj => (labels?.Matches(obj["metadata"]?["labels"] as JsonObject) ?? true)
            && (fields?.Matches(FieldSelectorFields.Extract(resource.Group, resource.Kind, obj)) ?? true),
            new ListPrefilter(name, labels));
    }
}
