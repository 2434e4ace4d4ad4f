using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Upstream's pod and container security context checks (<c>ValidatePodSecurityContext</c>,
/// <c>ValidateSecurityContext</c>): user and group ids in 0..2147483647, seccomp and AppArmor profile shapes, the
/// procMount enum, and the conflicts of <c>allowPrivilegeEscalation: false</c> with privileged or CAP_SYS_ADMIN.
/// </summary>
internal static class SecurityContextValidation
{
    private const string IdRange = "must be between 0 and 2147483647, inclusive";
    private static readonly string[] ProfileTypes = ["Localhost", "RuntimeDefault", "Unconfined"];

    public static IEnumerable<StatusCause> ValidatePod(JsonObject? context, string path)
    {
        if (context is null)
        {
            return [];
        }
        var groups = (context["supplementalGroups"] as JsonArray ?? []).Select((g, i) => IdError(g, $"{path}.supplementalGroups[{i}]"));
        return Ids(context, path, "runAsUser", "runAsGroup", "fsGroup")
            .Concat(groups.OfType<StatusCause>())
            .Concat(Profiles(context, path));
    }

    public static IEnumerable<StatusCause> ValidateContainer(JsonObject? context, string path)
    {
        if (context is null)
        {
            return [];
        }
        return Ids(context, path, "runAsUser", "runAsGroup")
            .Concat(Profiles(context, path))
            .Concat(ProcMount(context, path))
            .Concat(EscalationConflicts(context, path));
    }

    private static IEnumerable<StatusCause> Ids(JsonObject context, string path, params string[] fields) =>
        fields.Select(f => context[f] is null ? null : IdError(context[f], $"{path}.{f}")).OfType<StatusCause>();

    /// <summary>apimachinery's <c>IsValidUserID</c>/<c>IsValidGroupID</c>.</summary>
    private static StatusCause? IdError(JsonNode? id, string field) =>
        id.Integer() is >= 0 and <= int.MaxValue ? null : Invalid(field, id, IdRange);

    private static IEnumerable<StatusCause> Profiles(JsonObject context, string path) =>
        Profile(context["seccompProfile"] as JsonObject, $"{path}.seccompProfile", "seccompProfile", "seccomp")
            .Concat(Profile(context["appArmorProfile"] as JsonObject, $"{path}.appArmorProfile", "appArmorProfile", "AppArmor"));

    /// <summary><c>validateSeccompProfileField</c> and its AppArmor twin: a type from the enum, a local profile only for Localhost.</summary>
    private static IEnumerable<StatusCause> Profile(JsonObject? profile, string path, string field, string label)
    {
        if (profile is null)
        {
            yield break;
        }
        var type = profile.GetString("type") ?? "";
        if (type.Length == 0)
        {
            yield return Required($"{path}.type", $"type is required when {field} is set");
        }
        else if (!ProfileTypes.Contains(type))
        {
            yield return NotSupported($"{path}.type", profile["type"], ProfileTypes);
        }
        var local = profile.GetString("localhostProfile");
        if (type == "Localhost" && string.IsNullOrEmpty(local))
        {
            yield return Required($"{path}.localhostProfile", $"must be set when {label} type is Localhost");
        }
        else if (type == "Localhost" && PathRules.LocalDescendingPathError(local!) is { } problem)
        {
            yield return Invalid($"{path}.localhostProfile", profile["localhostProfile"], problem);
        }
        else if (type != "Localhost" && local is not null)
        {
            yield return Invalid($"{path}.localhostProfile", profile.ToJsonString(), $"can only be set when {label} type is Localhost", raw: true);
        }
    }

    private static IEnumerable<StatusCause> ProcMount(JsonObject context, string path)
    {
        if (context["procMount"] is { } procMount && procMount.ToString() is not ("Default" or "Unmasked"))
        {
            yield return NotSupported($"{path}.procMount", procMount, "Default", "Unmasked");
        }
    }

    private static IEnumerable<StatusCause> EscalationConflicts(JsonObject context, string path)
    {
        if (context["allowPrivilegeEscalation"] is not JsonValue allow || !allow.TryGetValue<bool>(out var allowed) || allowed)
        {
            yield break;
        }
        if (context["privileged"] is JsonValue privileged && privileged.TryGetValue<bool>(out var isPrivileged) && isPrivileged)
        {
            yield return Invalid(path, context.ToJsonString(), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true", raw: true);
        }
        var added = context["capabilities"]?["add"] as JsonArray ?? [];
        if (added.Any(c => c?.ToString() == "CAP_SYS_ADMIN"))
        {
            yield return Invalid(path, context.ToJsonString(), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN", raw: true);
        }
    }
}

/// <summary>Path shapes upstream checks for subPath and local profiles.</summary>
internal static class PathRules
{
    /// <summary><c>validateLocalDescendingPath</c>: relative, and no <c>..</c> element.</summary>
    public static string? LocalDescendingPathError(string path)
    {
        if (path.StartsWith('/'))
        {
            return "must be a relative path";
        }
        return path.Split('/', '\\').Contains("..") ? "must not contain '..'" : null;
    }
}
