using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>The checks of upstream's <c>ValidateObjectMeta</c> that apply to every kind.</summary>
internal static class MetadataValidation
{
    private const int MaxAnnotationBytes = 256 * 1024;

    public static IEnumerable<StatusCause> Validate(JsonObject obj, Func<string, string?> nameRule)
    {
        var metadata = obj.Metadata();
        var name = metadata.GetString("name");
        if (string.IsNullOrEmpty(name))
        {
            yield return new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name");
        }
        else if (nameRule(name) is { } problem)
        {
            yield return Invalid("metadata.name", name, problem);
        }
        foreach (var cause in ValidateLabels(metadata["labels"] as JsonObject))
        {
            yield return cause;
        }
        foreach (var cause in ValidateAnnotations(metadata["annotations"] as JsonObject))
        {
            yield return cause;
        }
    }

    private static IEnumerable<StatusCause> ValidateLabels(JsonObject? labels)
    {
        foreach (var (key, value) in labels ?? [])
        {
            if (Names.QualifiedName(key) is { } keyProblem)
            {
                yield return Invalid("metadata.labels", key, keyProblem);
            }
            var text = value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)value : null;
            if (text is null || Names.LabelValue(text) is not null)
            {
                yield return Invalid($"metadata.labels", text ?? value?.ToJsonString() ?? "null", Names.LabelValue(text ?? "!") ?? "must be a string");
            }
        }
    }

    private static IEnumerable<StatusCause> ValidateAnnotations(JsonObject? annotations)
    {
        var total = 0;
        foreach (var (key, value) in annotations ?? [])
        {
            if (Names.QualifiedName(key.ToLowerInvariant()) is { } problem)
            {
                yield return Invalid("metadata.annotations", key, problem);
            }
            total += key.Length + (value?.ToString().Length ?? 0);
        }
        if (total > MaxAnnotationBytes)
        {
            yield return new StatusCause("FieldValueTooLong", $"Too long: may not be more than {MaxAnnotationBytes} bytes", "metadata.annotations");
        }
    }

    public static StatusCause Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: \"{value}\": {detail}", field);
}
