using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Upstream's checks of where a pod may run: <c>validateAffinity</c> (node selector terms and their operators'
/// value counts, pod (anti-)affinity topology keys, weights 1-100), <c>ValidateTolerations</c> and
/// <c>validateTopologySpreadConstraints</c>.
/// </summary>
internal static class SchedulingValidation
{
    private const string WeightRange = "must be in the range 1-100";
    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    private static readonly string[] WhenUnsatisfiable = ["DoNotSchedule", "ScheduleAnyway"];

    public static IEnumerable<StatusCause> Validate(JsonObject spec, string path) =>
        Affinity(spec["affinity"] as JsonObject, $"{path}.affinity")
            .Concat(Tolerations(spec["tolerations"] as JsonArray, $"{path}.tolerations"))
            .Concat(SpreadConstraints(spec["topologySpreadConstraints"] as JsonArray, $"{path}.topologySpreadConstraints"));

    private static IEnumerable<StatusCause> Affinity(JsonObject? affinity, string path)
    {
        if (affinity is null)
        {
            return [];
        }
        return NodeAffinity(affinity["nodeAffinity"] as JsonObject, $"{path}.nodeAffinity")
            .Concat(PodAffinity(affinity["podAffinity"] as JsonObject, $"{path}.podAffinity"))
            .Concat(PodAffinity(affinity["podAntiAffinity"] as JsonObject, $"{path}.podAntiAffinity"));
    }

    private static IEnumerable<StatusCause> NodeAffinity(JsonObject? affinity, string path)
    {
        if (affinity?["requiredDuringSchedulingIgnoredDuringExecution"] is JsonObject required)
        {
            var termsPath = $"{path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
            var terms = required["nodeSelectorTerms"] as JsonArray ?? [];
            if (terms.Count == 0)
            {
                yield return Required(termsPath, "must have at least one node selector term");
            }
            foreach (var cause in terms.SelectMany((t, i) => NodeSelectorTerm(t as JsonObject, $"{termsPath}[{i}]")))
            {
                yield return cause;
            }
        }
        foreach (var (term, termPath) in Indexed(affinity?["preferredDuringSchedulingIgnoredDuringExecution"], $"{path}.preferredDuringSchedulingIgnoredDuringExecution"))
        {
            foreach (var cause in Weight(term, termPath).Concat(NodeSelectorTerm(term["preference"] as JsonObject, $"{termPath}.preference")))
            {
                yield return cause;
            }
        }
    }

    private static IEnumerable<StatusCause> NodeSelectorTerm(JsonObject? term, string path) =>
        Indexed(term?["matchExpressions"], $"{path}.matchExpressions").SelectMany(r => NodeSelectorRequirement(r.Item, r.Path));

    /// <summary><c>ValidateNodeSelectorRequirement</c>: the value count each operator needs, and a valid key.</summary>
    private static IEnumerable<StatusCause> NodeSelectorRequirement(JsonObject requirement, string path)
    {
        var count = (requirement["values"] as JsonArray)?.Count ?? 0;
        var problem = requirement.GetString("operator") switch
        {
            "In" or "NotIn" when count == 0 => Required($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"),
            "Exists" or "DoesNotExist" when count > 0 => Forbidden($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
            "Gt" or "Lt" when count != 1 => Required($"{path}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"),
            "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt" => null,
            _ => Invalid($"{path}.operator", requirement["operator"] ?? "", "not a valid selector operator"),
        };
        if (problem is not null)
        {
            yield return problem;
        }
        foreach (var cause in LabelName(requirement["key"], $"{path}.key"))
        {
            yield return cause;
        }
    }

    private static IEnumerable<StatusCause> PodAffinity(JsonObject? affinity, string path)
    {
        var required = Indexed(affinity?["requiredDuringSchedulingIgnoredDuringExecution"], $"{path}.requiredDuringSchedulingIgnoredDuringExecution")
            .SelectMany(t => PodAffinityTerm(t.Item, t.Path));
        var preferred = Indexed(affinity?["preferredDuringSchedulingIgnoredDuringExecution"], $"{path}.preferredDuringSchedulingIgnoredDuringExecution")
            .SelectMany(t => Weight(t.Item, t.Path).Concat(PodAffinityTerm(t.Item["podAffinityTerm"] as JsonObject ?? [], $"{t.Path}.podAffinityTerm")));
        return required.Concat(preferred);
    }

    private static IEnumerable<StatusCause> PodAffinityTerm(JsonObject term, string path) =>
        term.GetString("topologyKey") is { Length: > 0 }
            ? LabelName(term["topologyKey"], $"{path}.topologyKey")
            : [Required($"{path}.topologyKey", "can not be empty")];

    private static IEnumerable<StatusCause> Weight(JsonObject term, string path) =>
        term["weight"].Integer() is >= 1 and <= 100 ? [] : [Invalid($"{path}.weight", term["weight"] ?? 0, WeightRange)];

    /// <summary><c>ValidateTolerations</c>: operator and value agree, the effect is known, tolerationSeconds only with NoExecute.</summary>
    private static IEnumerable<StatusCause> Tolerations(JsonArray? tolerations, string path)
    {
        foreach (var (toleration, itemPath) in Indexed(tolerations, path))
        {
            var key = toleration.GetString("key") ?? "";
            var op = toleration.GetString("operator") ?? "";
            var effect = toleration.GetString("effect") ?? "";
            foreach (var cause in key.Length > 0 ? LabelName(toleration["key"], $"{itemPath}.key") : [])
            {
                yield return cause;
            }
            if (key.Length == 0 && op != "Exists")
            {
                yield return Invalid($"{itemPath}.operator", toleration["operator"] ?? "", "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (toleration["tolerationSeconds"] is not null && effect != "NoExecute")
            {
                yield return Invalid($"{itemPath}.effect", toleration["effect"] ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            var value = toleration.GetString("value") ?? "";
            if (op == "Exists" && value.Length > 0)
            {
                yield return Invalid($"{itemPath}.operator", GoToleration(toleration), "value must be empty when `operator` is 'Exists'", raw: true);
            }
            else if (op is "" or "Equal" && Names.LabelValue(value) is { } problem)
            {
                yield return Invalid($"{itemPath}.operator", toleration["value"], problem);
            }
            else if (op is not ("" or "Equal" or "Exists"))
            {
                yield return NotSupported($"{itemPath}.operator", toleration["operator"], "Equal", "Exists");
            }
            if (effect.Length > 0 && !Effects.Contains(effect))
            {
                yield return NotSupported($"{itemPath}.effect", toleration["effect"], Effects);
            }
        }
    }

    /// <summary>A toleration as Go's <c>%#v</c> prints upstream's internal struct.</summary>
    private static string GoToleration(JsonObject t)
    {
        var seconds = t["tolerationSeconds"].Integer() is { } s ? $"(*int64)({Format(s)})" : "(*int64)(nil)";
        return $"core.Toleration{{Key:{Quote(t.GetString("key") ?? "")}, Operator:{Quote(t.GetString("operator") ?? "")}, "
            + $"Value:{Quote(t.GetString("value") ?? "")}, Effect:{Quote(t.GetString("effect") ?? "")}, TolerationSeconds:{seconds}}}";
    }

    /// <summary><c>validateTopologySpreadConstraints</c>: positive maxSkew and minDomains, a key, a known action.</summary>
    private static IEnumerable<StatusCause> SpreadConstraints(JsonArray? constraints, string path)
    {
        foreach (var (constraint, itemPath) in Indexed(constraints, path))
        {
            if (constraint["maxSkew"].Integer() is null or <= 0)
            {
                yield return Invalid($"{itemPath}.maxSkew", constraint["maxSkew"] ?? 0, "must be greater than zero");
            }
            var keyErrors = constraint.GetString("topologyKey") is { Length: > 0 }
                ? LabelName(constraint["topologyKey"], $"{itemPath}.topologyKey")
                : [Required($"{itemPath}.topologyKey", "can not be empty")];
            foreach (var cause in keyErrors)
            {
                yield return cause;
            }
            if (!WhenUnsatisfiable.Contains(constraint.GetString("whenUnsatisfiable") ?? ""))
            {
                yield return NotSupported($"{itemPath}.whenUnsatisfiable", constraint["whenUnsatisfiable"] ?? "", WhenUnsatisfiable);
            }
            if (constraint["minDomains"] is { } minDomains && minDomains.Integer() is null or <= 0)
            {
                yield return Invalid($"{itemPath}.minDomains", minDomains, "must be greater than zero");
            }
        }
    }

    /// <summary><c>ValidateLabelName</c>: a qualified name.</summary>
    private static IEnumerable<StatusCause> LabelName(JsonNode? key, string path) =>
        Names.QualifiedName(key?.ToString() ?? "") is { } problem ? [Invalid(path, key ?? "", problem)] : [];

    /// <summary>The objects of an array with their indexed paths.</summary>
    public static IEnumerable<(JsonObject Item, string Path)> Indexed(JsonNode? array, string path) =>
        (array as JsonArray ?? []).Select((item, i) => (item as JsonObject, $"{path}[{i}]")).Where(p => p.Item1 is not null).Select(p => (p.Item1!, p.Item2));
}
