using k8s.Models;

namespace K8sSharp.Client.Cache;

/// <summary>
/// Label matching with the semantics of apimachinery's LabelSelectorAsSelector: all matchLabels and all
/// matchExpressions must hold; an empty selector matches everything; a null selector matches nothing.
/// </summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }
        labels ??= new Dictionary<string, string>();
        if (selector.MatchLabels is { } matchLabels && !Matches(matchLabels, labels))
        {
            return false;
        }
        return selector.MatchExpressions?.All(e => Matches(e, labels)) ?? true;
    }

    /// <summary>True when every pair of <paramref name="required"/> is present in <paramref name="labels"/>.</summary>
    public static bool Matches(IDictionary<string, string> required, IDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(required);
        return required.All(pair => labels is not null && labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => throw new ArgumentException($"unknown label selector operator \"{requirement.OperatorProperty}\""),
        };
    }
}
