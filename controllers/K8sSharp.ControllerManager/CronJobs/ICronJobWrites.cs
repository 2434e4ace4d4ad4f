using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>The CronJob controller's calls to the API server (the process edge; upstream jobControl/cronJobControl).</summary>
internal interface ICronJobWrites
{
    Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken);

    /// <summary>A fresh read, bypassing the cache (null when the Job does not exist).</summary>
    Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Deletes with propagationPolicy Background, so the Job's pods go with it; a missing Job is not an error.</summary>
    Task DeleteJobAsync(V1Job job, CancellationToken cancellationToken);

    Task<V1CronJob> UpdateStatusAsync(V1CronJob cronJob, CancellationToken cancellationToken);
}

/// <summary><see cref="ICronJobWrites"/> over the API server.</summary>
internal sealed class KubernetesCronJobWrites(IKubernetes client) : ICronJobWrites
{
    public Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken) =>
        client.BatchV1.CreateNamespacedJobAsync(job, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public async Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task DeleteJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await client.BatchV1.DeleteNamespacedJobAsync(
                job.Metadata.Name, job.Metadata.NamespaceProperty, new V1DeleteOptions { PropagationPolicy = "Background" },
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Already gone.
        }
    }

    public Task<V1CronJob> UpdateStatusAsync(V1CronJob cronJob, CancellationToken cancellationToken) =>
        client.BatchV1.ReplaceNamespacedCronJobStatusAsync(cronJob, cronJob.Metadata.Name, cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
}
