using k8s;
using k8s.Models;

namespace K8sSharp.Client.Events;

/// <summary>
/// What a controller needs to record events (client-go's record.EventRecorder): fire and forget, never throws.
/// <see cref="EventRecorder"/> writes core/v1 Events; tests substitute a recording fake.
/// </summary>
public interface IEventRecorder
{
    /// <summary>Queues an event about <paramref name="obj"/>; <paramref name="type"/> is Normal or Warning.</summary>
    void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message);
}
