using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>Chooses each kind's strategy; kinds without special rules get <see cref="GenericStrategy"/>.</summary>
internal static class StrategyFactory
{
    private static readonly HashSet<string> PathSegmentNamedGroups = new(StringComparer.Ordinal) { "rbac.authorization.k8s.io" };

    public static IResourceStrategy For(ApiResource resource) => (resource.Group, resource.Name) switch
    {
        ("", "namespaces") => new NamespaceStrategy(resource),
        ("", "nodes") => new NodeStrategy(resource),
        ("", "secrets") => new SecretStrategy(resource),
        ("", "services") => new ServiceStrategy(resource),
        ("", "pods") => new PodStrategy(resource),
        ("", "configmaps") => new ConfigMapStrategy(resource),
        ("", "limitranges") => new LimitRangeStrategy(resource),
        ("", "persistentvolumeclaims" or "persistentvolumes") => new ClaimStrategy(resource),
        ("", "replicationcontrollers" or "podtemplates") => new WorkloadStrategy(resource),
        ("apps", "deployments" or "replicasets" or "daemonsets" or "statefulsets") => new WorkloadStrategy(resource),
        ("batch", "jobs") => new JobStrategy(resource),
        ("batch", "cronjobs") => new CronJobStrategy(resource),
        _ when PathSegmentNamedGroups.Contains(resource.Group) => new NamedStrategy(resource, Names.PathSegment),
        _ => new GenericStrategy(resource),
    };

    /// <summary>A generic strategy with another name rule.</summary>
    private sealed class NamedStrategy(ApiResource resource, Func<string, string?> rule) : GenericStrategy(resource)
    {
        protected override Func<string, string?> NameRule => rule;
    }
}
