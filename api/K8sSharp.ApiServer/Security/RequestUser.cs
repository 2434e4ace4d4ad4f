namespace K8sSharp.ApiServer.Security;

/// <summary>
/// The authenticated user of the request being served, for layers below the handlers (admission in the store's
/// hooks) that upstream reads from the request context. Set by <see cref="Authentication"/> before the rest of the
/// pipeline runs, so it flows into everything the request awaits; null for the server's own writes (bootstrap).
/// </summary>
internal static class RequestUser
{
    private static readonly AsyncLocal<UserInfo?> CurrentUser = new();

    public static UserInfo? Current
    {
        get => CurrentUser.Value;
        set => CurrentUser.Value = value;
    }
}
