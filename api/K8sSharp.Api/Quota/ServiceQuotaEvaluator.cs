using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Quota;

/// <summary>
/// Quota for Services (upstream services.go): <c>services</c>, <c>count/services</c>, <c>services.loadbalancers</c> (one
/// per LoadBalancer Service) and <c>services.nodeports</c> (one per port of a NodePort or LoadBalancer Service; with
/// <c>allocateLoadBalancerNodePorts: false</c> only the ports that name a nodePort). Updates are charged (a type change
/// to NodePort takes node ports).
/// </summary>
public sealed class ServiceQuotaEvaluator() : ObjectCountEvaluator("", "services", "services")
{
    private static readonly string[] Names = ["services.loadbalancers", "services.nodeports"];

    public override bool ChargesUpdates => true;

    public override IReadOnlyList<string> MatchingResources(IEnumerable<string> names)
    {
        var list = names.ToList();
        return [.. base.MatchingResources(list), .. list.Where(Names.Contains)];
    }

    public override ResourceList Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = base.Usage(obj, now);
        var ports = obj.Objects("spec", "ports").ToList();
        switch (obj.Str("spec", "type"))
        {
            case "NodePort":
                usage["services.nodeports"] = Quantity.Of(ports.Count);
                break;
            case "LoadBalancer":
                var counted = obj.Bool("spec", "allocateLoadBalancerNodePorts") == false ? ports.Count(p => p.L("nodePort") != 0) : ports.Count;
                usage["services.nodeports"] = Quantity.Of(counted);
                usage["services.loadbalancers"] = Quantity.Of(1);
                break;
        }
        return usage;
    }
}
