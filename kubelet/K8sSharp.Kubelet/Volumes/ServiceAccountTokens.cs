using System.Collections.Concurrent;
using System.Text;
using k8s;
using k8s.Models;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>
/// Bound service-account tokens for projected volumes, from the TokenRequest API (bound to the pod), cached per pod
/// and audience/expiry and renewed once 80% of their lifetime has passed (or after 24 h), as upstream's token manager.
/// </summary>
internal sealed class ServiceAccountTokens(IKubernetes client, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> cache = new(StringComparer.Ordinal);

    public async Task<byte[]> GetAsync(V1Pod pod, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(projection);
        var serviceAccount = string.IsNullOrEmpty(pod.Spec.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName;
        var key = $"{pod.Metadata.Uid}/{serviceAccount}/{projection.Audience}/{projection.ExpirationSeconds}";
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && now < cached.RenewAt)
        {
            return Encoding.UTF8.GetBytes(cached.Token);
        }
        var request = new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = string.IsNullOrEmpty(projection.Audience) ? [] : [projection.Audience],
                ExpirationSeconds = projection.ExpirationSeconds ?? 3600,
                BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            },
        };
        Authenticationv1TokenRequest issued;
        try
        {
            issued = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, serviceAccount, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            throw new VolumeSetupException($"failed to fetch token: {e.Response?.Content ?? e.Message}");
        }
        var expires = issued.Status.ExpirationTimestamp is { } exp ? new DateTimeOffset(DateTime.SpecifyKind(exp, DateTimeKind.Utc)) : now.AddHours(1);
        var lifetime = expires - now;
        var renewAt = now + TimeSpan.FromTicks(Math.Min((long)(lifetime.Ticks * 0.8), TimeSpan.FromHours(24).Ticks));
        cache[key] = (issued.Status.Token, renewAt);
        return Encoding.UTF8.GetBytes(issued.Status.Token);
    }

    /// <summary>Forgets a pod's tokens (it is gone).</summary>
    public void Forget(string podUid)
    {
        foreach (var key in cache.Keys.Where(k => k.StartsWith(podUid + "/", StringComparison.Ordinal)))
        {
            cache.TryRemove(key, out _);
        }
    }
}
