using k8s;
using k8s.Models;

namespace K8sSharp.Client.Events;

/// <summary>
/// What controllers need of an event recorder (client-go's record.EventRecorder): fire and forget. The seam lets unit
/// tests collect the events a reconcile records instead of writing them to an API server.
/// </summary>
public interface IEventRecorder
{
    /// <summary>Records an event about <paramref name="obj"/>; <paramref name="type"/> is Normal or Warning. Never throws.</summary>
    void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message);
}
