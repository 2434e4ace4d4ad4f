namespace K8sSharp.Scheduler.Plugins;

/// <summary>The taint effects the scheduler plugins name; matching itself is K8sSharp.Client.Scheduling.Tolerations.</summary>
internal static class Taints
{
    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";
    public const string PreferNoSchedule = "PreferNoSchedule";
}
