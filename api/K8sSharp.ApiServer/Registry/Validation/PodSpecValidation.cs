using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// The parts of upstream's <c>ValidatePodSpec</c>/<c>ValidatePodTemplateSpec</c> (pkg/apis/core/validation) that
/// matter for defaulted objects: volumes, containers (names, image, ports, enums, env, mounts), restart and DNS
/// policy. Paths are dotted prefixes such as <c>spec</c> or <c>spec.template.spec</c>.
/// </summary>
internal static class PodSpecValidation
{
    public static readonly string[] AllRestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] MessagePolicies = ["File", "FallbackToLogsOnError"];

    /// <summary>A pod template: its labels and annotations, then its spec.</summary>
    public static IEnumerable<StatusCause> ValidateTemplate(JsonObject? template, string path)
    {
        if (template is null)
        {
            return [Required(path)];
        }
        var labels = LabelErrors(template["metadata"]?["labels"] as JsonObject, $"{path}.metadata.labels");
        return labels.Concat(ValidateSpec(template["spec"] as JsonObject ?? [], $"{path}.spec"));
    }

    public static IEnumerable<StatusCause> ValidateSpec(JsonObject spec, string path)
    {
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cause in ValidateVolumes(spec, path, volumes))
        {
            yield return cause;
        }
        if (spec["containers"] is not JsonArray { Count: > 0 })
        {
            yield return Required($"{path}.containers");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { "containers", "initContainers" }) // upstream order: init names clash with regular ones
        {
            var index = 0;
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var cause in ValidateContainer(container, $"{path}.{list}[{index++}]", names, volumes))
                {
                    yield return cause;
                }
            }
        }
        foreach (var cause in Enum(spec, "restartPolicy", path, AllRestartPolicies).Concat(Enum(spec, "dnsPolicy", path, DnsPolicies)))
        {
            yield return cause;
        }
        if (spec["terminationGracePeriodSeconds"] is JsonValue grace && grace.Integer() is < 0)
        {
            yield return Invalid($"{path}.terminationGracePeriodSeconds", grace, "must be greater than or equal to 0");
        }
        if (spec["activeDeadlineSeconds"] is JsonValue deadline && deadline.Integer() is null or < 1)
        {
            yield return Invalid($"{path}.activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive");
        }
        var more = SecurityContextValidation.ValidatePod(spec["securityContext"] as JsonObject, $"{path}.securityContext")
            .Concat(SchedulingValidation.Validate(spec, path))
            .Concat(PodNetworkValidation.Validate(spec, path))
            .Concat(ResourceValidation.Validate(spec["resources"] as JsonObject, $"{path}.resources"));
        foreach (var cause in more)
        {
            yield return cause;
        }
    }

    private static IEnumerable<StatusCause> ValidateVolumes(JsonObject spec, string path, HashSet<string> names)
    {
        var index = 0;
        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var namePath = $"{path}.volumes[{index++}].name";
            var name = volume.GetString("name") ?? "";
            if (name.Length == 0)
            {
                yield return Required(namePath);
            }
            else if (Names.Label(name) is { } problem)
            {
                yield return Invalid(namePath, volume["name"], problem);
            }
            else if (!names.Add(name))
            {
                yield return Duplicate(namePath, volume["name"]);
            }
            foreach (var cause in VolumeSource(volume, $"{path}.volumes[{index - 1}]"))
            {
                yield return cause;
            }
        }
    }

    /// <summary><c>validateVolumeSource</c>: exactly one source (defaulting makes a sourceless volume an emptyDir).</summary>
    private static IEnumerable<StatusCause> VolumeSource(JsonObject volume, string path)
    {
        var sources = volume.Where(p => p.Key != "name" && p.Value is not null).Select(p => p.Key).ToList();
        if (sources.Count == 0)
        {
            yield return Required(path, "must specify a volume type");
        }
        foreach (var extra in sources.Skip(1))
        {
            yield return Forbidden($"{path}.{extra}", "may not specify more than 1 volume type");
        }
    }

    private static IEnumerable<StatusCause> ValidateContainer(JsonObject container, string path, HashSet<string> names, HashSet<string> volumes)
    {
        var name = container.GetString("name") ?? "";
        if (name.Length == 0)
        {
            yield return Required($"{path}.name");
        }
        else if (Names.Label(name) is { } problem)
        {
            yield return Invalid($"{path}.name", container["name"], problem);
        }
        else if (!names.Add(name))
        {
            yield return Duplicate($"{path}.name", container["name"]);
        }
        if (string.IsNullOrEmpty(container.GetString("image")))
        {
            yield return Required($"{path}.image");
        }
        var enums = Enum(container, "terminationMessagePolicy", path, MessagePolicies).Concat(Enum(container, "imagePullPolicy", path, PullPolicies));
        var rest = enums.Concat(ValidatePorts(container, path)).Concat(ValidateEnv(container, path)).Concat(ValidateMounts(container, path, volumes))
            .Concat(ProbeValidation.ValidateContainer(container, path))
            .Concat(ResourceValidation.Validate(container["resources"] as JsonObject, $"{path}.resources"))
            .Concat(SecurityContextValidation.ValidateContainer(container["securityContext"] as JsonObject, $"{path}.securityContext"));
        foreach (var cause in rest)
        {
            yield return cause;
        }
    }

    private static IEnumerable<StatusCause> ValidatePorts(JsonObject container, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var portPath = $"{path}.ports[{index++}]";
            if (port.GetString("name") is { Length: > 0 } name && !names.Add(name))
            {
                yield return Duplicate($"{portPath}.name", port["name"]);
            }
            else if (port.GetString("name") is { Length: > 0 } portName)
            {
                foreach (var problem in ProbeValidation.PortNameProblems(portName))
                {
                    yield return Invalid($"{portPath}.name", port["name"], problem);
                }
            }
            if (port["containerPort"] is null || port["containerPort"]!.ToJsonString() == "0")
            {
                yield return Required($"{portPath}.containerPort");
            }
            else if (PortProblem(port["containerPort"]) is { } problem)
            {
                yield return Invalid($"{portPath}.containerPort", port["containerPort"], problem);
            }
            if (port["hostPort"] is { } hostPort && hostPort.ToJsonString() != "0" && PortProblem(hostPort) is { } hostProblem)
            {
                yield return Invalid($"{portPath}.hostPort", hostPort, hostProblem);
            }
            foreach (var cause in Enum(port, "protocol", portPath, Protocols))
            {
                yield return cause;
            }
        }
    }

    /// <summary>apimachinery's <c>IsValidPortNum</c>.</summary>
    public static string? PortProblem(JsonNode? port) =>
        port.Integer() is >= 1 and <= 65535 ? null : "must be between 1 and 65535, inclusive";

    private static IEnumerable<StatusCause> ValidateEnv(JsonObject container, string path)
    {
        var index = 0;
        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = env.GetString("name") ?? "";
            if (name.Length == 0)
            {
                yield return Required($"{path}.env[{index}].name");
            }
            else if (name.Any(c => c > 126 || c < 32 || c == '='))
            {
                // Relaxed environment variable names (GA in 1.34): printable ASCII without '='.
                yield return Invalid($"{path}.env[{index}].name", env["name"], "a valid environment variable name must consist only of printable ASCII characters other than '='");
            }
            index++;
        }
    }

    private static IEnumerable<StatusCause> ValidateMounts(JsonObject container, string path, HashSet<string> volumes)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var mountPath = $"{path}.volumeMounts[{index++}]";
            var name = mount.GetString("name") ?? "";
            if (name.Length == 0)
            {
                yield return Required($"{mountPath}.name");
            }
            else if (!volumes.Contains(name))
            {
                yield return NotFound($"{mountPath}.name", mount["name"]);
            }
            var target = mount.GetString("mountPath") ?? "";
            if (target.Length == 0)
            {
                yield return Required($"{mountPath}.mountPath");
            }
            else if (!targets.Add(target))
            {
                yield return Invalid($"{mountPath}.mountPath", mount["mountPath"], "must be unique");
            }
            if (mount.GetString("subPath") is { Length: > 0 } subPath && PathRules.LocalDescendingPathError(subPath) is { } subPathProblem)
            {
                yield return Invalid($"{mountPath}.subPath", mount["subPath"], subPathProblem);
            }
        }
    }

    /// <summary><c>ValidateLabels</c> at an arbitrary path (templates, selectors).</summary>
    public static IEnumerable<StatusCause> LabelErrors(JsonObject? labels, string path)
    {
        foreach (var (key, value) in labels ?? [])
        {
            if (Names.QualifiedName(key) is { } keyProblem)
            {
                yield return Invalid(path, JsonValue.Create(key), keyProblem);
            }
            if (Names.LabelValue(value?.ToString() ?? "") is { } valueProblem)
            {
                yield return Invalid(path, value, valueProblem);
            }
        }
    }
}
