using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>Writing the deployment status (upstream syncDeploymentStatus, syncRolloutStatus, requeueStuckDeployment).</summary>
internal sealed partial class DeploymentController
{
    /// <summary>Counts and Available only; Progressing is left as it is (a scaling or paused sync is no rollout).</summary>
    private async Task SyncStatusAsync(List<V1ReplicaSet> allRSs, V1ReplicaSet? newRS, V1Deployment d, CancellationToken cancellationToken)
    {
        var status = DeploymentStatuses.Calculate(allRSs, newRS, d, Time.GetUtcNow());
        if (DeploymentStatuses.Same(d.Status, status))
        {
            return;
        }
        d.Status = status;
        await UpdateStatusAsync(d, cancellationToken);
    }

    /// <summary>
    /// Counts plus the Progressing verdict. An unchanged status is not written, but a rollout still in progress is
    /// looked at again when its progress deadline would pass, since no event marks that moment.
    /// </summary>
    private async Task SyncRolloutStatusAsync(List<V1ReplicaSet> allRSs, V1ReplicaSet? newRS, V1Deployment d, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var status = DeploymentStatuses.Rollout(allRSs, newRS, d, now);
        if (DeploymentStatuses.Same(d.Status, status))
        {
            RequeueStuck(d, status, now);
            return;
        }
        d.Status = status;
        await UpdateStatusAsync(d, cancellationToken);
    }

    private void RequeueStuck(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (!DeploymentConditions.HasProgressDeadline(d) || current?.LastUpdateTime is not { } lastUpdate
            || DeploymentConditions.IsComplete(d, status) || current.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }
        var after = DeploymentConditions.Utc(lastUpdate).AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now;
        if (after < TimeSpan.FromSeconds(1))
        {
            Queue.AddRateLimited(ObjectKeys.For(d));
        }
        else
        {
            Queue.AddAfter(ObjectKeys.For(d), after);
        }
    }
}
