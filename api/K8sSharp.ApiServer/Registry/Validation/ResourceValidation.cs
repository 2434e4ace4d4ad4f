using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Upstream's <c>ValidateResourceRequirements</c> for a container's (or the pod's) <c>resources</c>: valid,
/// non-negative quantities, requests not above limits, hugepages requests equal to their limits and only next to
/// cpu or memory. Paths name the resource in brackets, e.g. <c>resources.requests[cpu]</c>.
/// </summary>
internal static class ResourceValidation
{
    private const string HugePagesPrefix = "hugepages-";

    public static IEnumerable<StatusCause> Validate(JsonObject? resources, string path)
    {
        var limits = resources?["limits"] as JsonObject ?? [];
        var requests = resources?["requests"] as JsonObject ?? [];
        var errors = Quantities(limits, $"{path}.limits").Concat(Quantities(requests, $"{path}.requests")).ToList();
        foreach (var (name, value) in requests)
        {
            if (K8sSharp.Api.Defaults.Quantities.Parse(value?.ToString()) is not { } request
                || K8sSharp.Api.Defaults.Quantities.Parse(limits[name]?.ToString()) is not { } limit)
            {
                continue;
            }
            var hugePages = name.StartsWith(HugePagesPrefix, StringComparison.Ordinal);
            if (hugePages && request != limit)
            {
                errors.Add(Invalid($"{path}.requests[{name}]", value, $"must be equal to {name} limit of {limits[name]}"));
            }
            else if (!hugePages && request > limit)
            {
                errors.Add(Invalid($"{path}.requests[{name}]", value, $"must be less than or equal to {name} limit of {limits[name]}"));
            }
        }
        var all = limits.Select(p => p.Key).Concat(requests.Select(p => p.Key)).ToList();
        if (all.Any(n => n.StartsWith(HugePagesPrefix, StringComparison.Ordinal)) && !all.Any(n => n is "cpu" or "memory"))
        {
            errors.Add(Forbidden(path, "HugePages require cpu or memory"));
        }
        return errors;
    }

    /// <summary><c>ValidateResourceQuantityValue</c>: parseable and not negative.</summary>
    private static IEnumerable<StatusCause> Quantities(JsonObject quantities, string path)
    {
        foreach (var (name, value) in quantities)
        {
            var parsed = K8sSharp.Api.Defaults.Quantities.Parse(value?.ToString());
            if (parsed is null)
            {
                yield return Invalid($"{path}[{name}]", value, "must match the regex ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
            }
            else if (parsed < 0)
            {
                yield return Invalid($"{path}[{name}]", value, "must be greater than or equal to 0");
            }
        }
    }
}
