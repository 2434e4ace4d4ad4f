namespace K8sSharp.Scheduler.Framework;

/// <summary>The outcome codes of a plugin (upstream's fwk.Code, the subset the default plugins use).</summary>
internal enum StatusCode
{
    Success,

    /// <summary>The pod does not fit now; preemption may help (e.g. Insufficient cpu).</summary>
    Unschedulable,

    /// <summary>The pod does not fit and removing pods cannot change that (e.g. a taint, a node selector).</summary>
    UnschedulableAndUnresolvable,

    Error,
}

/// <summary>A plugin's verdict with its reasons, which become the "N reason" parts of the FailedScheduling message.</summary>
internal sealed record Status(StatusCode Code, IReadOnlyList<string> Reasons, string Plugin = "")
{
    public static readonly Status Success = new(StatusCode.Success, []);

    public bool IsSuccess => Code == StatusCode.Success;

    public static Status Unschedulable(string plugin, params string[] reasons) => new(StatusCode.Unschedulable, reasons, plugin);

    public static Status Unresolvable(string plugin, params string[] reasons) => new(StatusCode.UnschedulableAndUnresolvable, reasons, plugin);

    public string Message => string.Join(", ", Reasons);
}
