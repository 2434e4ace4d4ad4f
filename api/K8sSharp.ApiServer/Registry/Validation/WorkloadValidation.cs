using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Selection;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Checks shared by the controllers' specs (pkg/apis/apps/validation, pkg/apis/batch/validation): the selector
/// is required, non-empty and must select the template's labels; counts are non-negative.
/// </summary>
internal static class WorkloadValidation
{
    /// <summary>
    /// Upstream's selector checks followed by <c>ValidatePodTemplateSpecForReplicaSet</c>'s label match. A missing
    /// selector selects nothing, so it also reports the label mismatch, as upstream does.
    /// </summary>
    /// <param name="kindForEmpty">The lowercase kind in "empty selector is invalid for …"; null when empty is allowed.</param>
    public static IEnumerable<StatusCause> SelectorMatchesTemplate(JsonObject spec, string path, string? kindForEmpty)
    {
        var selectorNode = spec["selector"] as JsonObject;
        if (selectorNode is null)
        {
            yield return Required($"{path}.selector");
        }
        else if (kindForEmpty is not null && selectorNode["matchLabels"] is not JsonObject { Count: > 0 } && selectorNode["matchExpressions"] is not JsonArray { Count: > 0 })
        {
            yield return Invalid($"{path}.selector", LabelSelectorValue(selectorNode), $"empty selector is invalid for {kindForEmpty}", raw: true);
        }
        LabelSelector selector;
        string? parseError = null;
        try
        {
            selector = LabelSelector.FromJson(selectorNode);
        }
        catch (SelectorParseException e)
        {
            selector = LabelSelector.Nothing;
            parseError = e.Message;
        }
        if (parseError is not null)
        {
            yield return Invalid($"{path}.selector", LabelSelectorValue(selectorNode), parseError, raw: true);
            yield break;
        }
        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (!selector.IsEmpty && !selector.Matches(labels))
        {
            yield return Invalid($"{path}.template.metadata.labels", GoValue(labels ?? []), "`selector` does not match template `labels`", raw: true);
        }
    }

    /// <summary><c>ValidateNonnegativeField</c> for each named integer field that is set.</summary>
    public static IEnumerable<StatusCause> NonNegative(JsonObject spec, string path, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (spec[field] is JsonValue value && value.Integer() is < 0)
            {
                yield return Invalid($"{path}.{field}", value, "must be greater than or equal to 0");
            }
        }
    }

    /// <summary>
    /// What <c>ValidatePodTemplateSpecForReplicaSet</c> (and the StatefulSet/DaemonSet equivalents) add for
    /// long-running controllers: restart policy Always only and no <c>activeDeadlineSeconds</c>.
    /// </summary>
    public static IEnumerable<StatusCause> LongRunningTemplate(JsonObject spec, string path, string kind)
    {
        var podSpec = spec["template"]?["spec"] as JsonObject;
        if (podSpec is null)
        {
            yield break;
        }
        if (podSpec.GetString("restartPolicy") is { } policy && policy != "Always")
        {
            yield return NotSupported($"{path}.template.spec.restartPolicy", podSpec["restartPolicy"], "Always");
        }
        if (podSpec["activeDeadlineSeconds"] is { } deadline)
        {
            yield return Invalid($"{path}.template.spec.activeDeadlineSeconds", deadline, $"activeDeadlineSeconds in {kind} is not Supported");
        }
    }

    /// <summary><c>ValidateImmutableField</c> for a selector: changed means not JSON-equal.</summary>
    public static IEnumerable<StatusCause> ImmutableSelector(JsonObject updated, JsonObject old, string path = "spec.selector")
    {
        var now = updated["spec"]?["selector"];
        if (!JsonNode.DeepEquals(now, old["spec"]?["selector"]))
        {
            yield return Invalid(path, LabelSelectorValue(now as JsonObject), "field is immutable", raw: true);
        }
    }
}
