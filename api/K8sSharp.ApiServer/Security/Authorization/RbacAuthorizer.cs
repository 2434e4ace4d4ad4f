namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// Decides requests as upstream's authorizer chain does with <c>--authorization-mode=RBAC</c>: members of
/// <c>system:masters</c> may do everything (the privileged-group short cut), everyone else what the RBAC rules
/// bound to them allow; nothing is ever denied explicitly, only not allowed.
/// </summary>
internal sealed class RbacAuthorizer(RbacPolicyCache policies)
{
    public const string MastersGroup = "system:masters";

    public (bool Allowed, string Reason) Authorize(UserInfo user, AuthorizationAttributes request)
    {
        if (user.Groups.Contains(MastersGroup))
        {
            return (true, "");
        }
        var policy = policies.Current;
        foreach (var rule in policy.RulesFor(user, request.Namespace))
        {
            if (rule.Allows(request))
            {
                return (true, "RBAC: allowed by a role binding");
            }
        }
        return (false, policies.Loaded ? "" : "RBAC: the authorization policy is not loaded yet");
    }

    /// <summary>The current snapshot of roles and bindings (escalation checks resolve role references in it).</summary>
    public RbacPolicy Policy => policies.Current;

    /// <summary>The rules that apply to the user in a namespace (SelfSubjectRulesReview).</summary>
    public IReadOnlyList<PolicyRule> RulesFor(UserInfo user, string ns) =>
        user.Groups.Contains(MastersGroup) ? Everything : [.. policies.Current.RulesFor(user, ns)];

    private static readonly PolicyRule[] Everything = [new(["*"], ["*"], ["*"], [], []), new(["*"], [], [], [], ["*"])];
}
