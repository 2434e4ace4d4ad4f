using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// Keeps <see cref="Current"/> in step with the stored Roles, ClusterRoles and their bindings: each kind is listed,
/// then watched; any change relists that kind (RBAC objects are few and change rarely) and publishes a new snapshot.
/// ClusterRoles with an <c>aggregationRule</c> get the rules of the ClusterRoles their selectors match, as the
/// clusterrole-aggregation controller would write them.
/// </summary>
internal sealed class RbacPolicyCache(StoreRegistry registry, ILogger<RbacPolicyCache> logger) : BackgroundService
{
    private const string Group = "rbac.authorization.k8s.io";
    private static readonly string[] Kinds = ["clusterroles", "roles", "clusterrolebindings", "rolebindings"];
    private readonly Dictionary<string, IReadOnlyList<JsonObject>> objects = Kinds.ToDictionary(k => k, _ => (IReadOnlyList<JsonObject>)[]);
    private readonly Lock gate = new();
    private int loadedKinds;

    public RbacPolicy Current { get; private set; } = RbacPolicy.Empty;

    public bool Loaded => Volatile.Read(ref loadedKinds) == Kinds.Length;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Kinds.Select(kind => FollowAsync(kind, stoppingToken)));

    /// <summary>Lists one kind now (tests and start-up use it to avoid waiting for the watch loop).</summary>
    public async Task<long> RefreshAsync(string kind, CancellationToken ct)
    {
        var store = registry.For(registry.Catalog.Find(Group, "v1", kind)!);
        var page = await store.ListAsync(null, new ListRequest(), ct);
        lock (gate)
        {
            objects[kind] = page.Items;
            Current = Build();
        }
        return page.Revision;
    }

    private async Task FollowAsync(string kind, CancellationToken ct)
    {
        var store = registry.For(registry.Catalog.Find(Group, "v1", kind)!);
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var revision = await RefreshAsync(kind, ct);
                if (first)
                {
                    Interlocked.Increment(ref loadedKinds);
                    first = false;
                }
                await foreach (var _ in store.WatchAsync(null, revision, null, ct))
                {
                    break; // something changed: relist
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Following {Kind} for RBAC failed; retrying", kind);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private RbacPolicy Build() =>
        new(Aggregated(objects["clusterroles"]), objects["roles"], objects["clusterrolebindings"], objects["rolebindings"]);

    private static List<JsonObject> Aggregated(IReadOnlyList<JsonObject> clusterRoles) =>
        [.. clusterRoles.Select(role => role["aggregationRule"] is null ? role : WithRules(role, AggregatedRules(role, clusterRoles, [])))];

    /// <summary>The union of the rules of every ClusterRole the selectors match, following aggregated ones in turn.</summary>
    private static IEnumerable<JsonNode?> AggregatedRules(JsonObject role, IReadOnlyList<JsonObject> clusterRoles, HashSet<JsonObject> visiting)
    {
        if (role["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return role["rules"] as JsonArray ?? [];
        }
        if (!visiting.Add(role))
        {
            return [];
        }
        return clusterRoles
            .Where(other => other != role && selectors.Any(s => SelectorMatches(s, other)))
            .SelectMany(source => AggregatedRules(source, clusterRoles, visiting))
            .ToList();
    }

    private static JsonObject WithRules(JsonObject role, IEnumerable<JsonNode?> rules)
    {
        var copy = role.DeepClone().AsObject();
        copy["rules"] = new JsonArray([.. rules.Select(r => r?.DeepClone())]);
        return copy;
    }

    /// <summary>matchLabels only, which is what every aggregation selector in practice uses.</summary>
    private static bool SelectorMatches(JsonNode? selector, JsonObject role)
    {
        var labels = role["metadata"]?["labels"] as JsonObject;
        var wanted = selector?["matchLabels"] as JsonObject ?? [];
        return wanted.Count > 0 && wanted.All(l => (string?)labels?[l.Key] == (string?)l.Value);
    }
}
