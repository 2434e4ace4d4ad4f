using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Quota;

/// <summary>
/// A pod's effective requests and limits, as upstream's <c>resourcehelper.PodRequests</c>/<c>PodLimits</c>: the sum over
/// its containers and restartable (sidecar) init containers, at least the largest a one-shot init container needs
/// beside the sidecars started before it, plus <c>spec.overhead</c>. Pod-level resources (<c>spec.resources</c>) win
/// when set.
/// </summary>
public static class PodResources
{
    public static ResourceList Requests(JsonObject pod) => Effective(pod, "requests");

    public static ResourceList Limits(JsonObject pod) => Effective(pod, "limits");

    private static ResourceList Effective(JsonObject pod, string field)
    {
        var spec = pod.Obj("spec");
        var podLevel = ResourceList.FromJson(spec.Obj("resources", field));
        var result = podLevel.Count > 0 ? podLevel : ContainerTotal(spec, field);
        var overhead = ResourceList.FromJson(spec.Obj("overhead"));
        return overhead.Count > 0 && result.Count > 0 ? result.Plus(overhead) : result;
    }

    private static ResourceList ContainerTotal(JsonNode? spec, string field)
    {
        var total = new ResourceList();
        foreach (var container in spec.Objects("containers"))
        {
            total = total.Plus(ResourceList.FromJson(container.Obj("resources", field)));
        }
        var sidecars = new ResourceList();
        var initPeak = new ResourceList();
        foreach (var init in spec.Objects("initContainers"))
        {
            var own = ResourceList.FromJson(init.Obj("resources", field));
            if (init.Str("restartPolicy") == "Always")
            {
                total = total.Plus(own);
                sidecars = sidecars.Plus(own);
                initPeak = initPeak.Max(sidecars);
            }
            else
            {
                initPeak = initPeak.Max(own.Plus(sidecars));
            }
        }
        return total.Max(initPeak);
    }
}
