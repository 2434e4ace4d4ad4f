using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Upstream's <c>validateProbe</c>/<c>validateHandler</c>: exactly one handler (exec, httpGet, tcpSocket, grpc),
/// non-negative timings, successThreshold 1 for liveness and startup probes, ports by number or IANA name.
/// </summary>
internal static partial class ProbeValidation
{
    private static readonly string[] Handlers = ["exec", "httpGet", "tcpSocket", "grpc"];
    private static readonly string[] Timings = ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"];

    public static IEnumerable<StatusCause> ValidateContainer(JsonObject container, string path)
    {
        foreach (var kind in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[kind] is not JsonObject probe)
            {
                continue;
            }
            foreach (var cause in Probe(probe, $"{path}.{kind}"))
            {
                yield return cause;
            }
            if (kind != "readinessProbe" && probe["successThreshold"] is { } threshold && threshold.Integer() != 1)
            {
                yield return Invalid($"{path}.{kind}.successThreshold", threshold, "must be 1");
            }
        }
    }

    private static IEnumerable<StatusCause> Probe(JsonObject probe, string path)
    {
        var handlers = Handlers.Where(h => probe[h] is JsonObject).ToList();
        if (handlers.Count == 0)
        {
            yield return Required(path, "must specify a handler type");
        }
        foreach (var extra in handlers.Skip(1))
        {
            yield return Forbidden($"{path}.{extra}", "may not specify more than 1 handler type");
        }
        foreach (var cause in handlers.Take(1).SelectMany(h => Handler(h, probe[h]!.AsObject(), $"{path}.{h}")))
        {
            yield return cause;
        }
        foreach (var cause in WorkloadValidation.NonNegative(probe, path, Timings))
        {
            yield return cause;
        }
        if (probe["terminationGracePeriodSeconds"] is { } grace && grace.Integer() is null or <= 0)
        {
            yield return Invalid($"{path}.terminationGracePeriodSeconds", grace, "must be greater than 0");
        }
    }

    private static IEnumerable<StatusCause> Handler(string kind, JsonObject handler, string path)
    {
        switch (kind)
        {
            case "exec" when handler["command"] is not JsonArray { Count: > 0 }:
                return [Required($"{path}.command")];
            case "httpGet":
                var scheme = handler.GetString("scheme");
                var schemeError = scheme is null or "HTTP" or "HTTPS" ? [] : new[] { NotSupported($"{path}.scheme", handler["scheme"], "HTTP", "HTTPS") };
                return PortNumberOrName(handler["port"], $"{path}.port").Concat(schemeError);
            case "tcpSocket":
                return PortNumberOrName(handler["port"], $"{path}.port");
            case "grpc":
                return PodSpecValidation.PortProblem(handler["port"]) is { } problem ? [Invalid($"{path}.port", handler["port"] ?? 0, problem)] : [];
            default:
                return [];
        }
    }

    /// <summary><c>ValidatePortNumOrName</c>: an int-or-string port.</summary>
    public static IEnumerable<StatusCause> PortNumberOrName(JsonNode? port, string path)
    {
        if (port is JsonValue v && v.TryGetValue<string>(out var name))
        {
            return PortNameProblems(name).Select(p => Invalid(path, port, p));
        }
        return PodSpecValidation.PortProblem(port) is { } problem ? [Invalid(path, port ?? 0, problem)] : [];
    }

    /// <summary>apimachinery's <c>IsValidPortName</c> (an IANA service name).</summary>
    public static IEnumerable<string> PortNameProblems(string name)
    {
        if (name.Length is 0 or > 15)
        {
            yield return "must be no more than 15 characters";
        }
        if (!PortNameCharacters().IsMatch(name))
        {
            yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        }
        if (!name.Any(char.IsAsciiLetterLower))
        {
            yield return "must contain at least one letter (a-z)";
        }
        if (name.Contains("--", StringComparison.Ordinal))
        {
            yield return "must not contain consecutive hyphens";
        }
        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            yield return "must not begin or end with a hyphen";
        }
    }

    [GeneratedRegex("^[-a-z0-9]+$")]
    private static partial Regex PortNameCharacters();
}
