using K8sSharp.ApiServer.Security.Authorization;

namespace K8sSharp.ApiServer.Tests.Authorization;

public class RuleCoverageTests
{
    private static PolicyRule Rule(string verbs, string groups, string resources, string names = "") =>
        new(Split(verbs), Split(groups), Split(resources), Split(names), []);

    private static PolicyRule Urls(string verbs, string urls) => new(Split(verbs), [], [], [], Split(urls));

    private static string[] Split(string text) => text.Length == 0 ? [] : text.Split(',').Select(s => s == "core" ? "" : s).ToArray();

    [Theory]
    [InlineData("get,list", "core", "pods", "", "get", "core", "pods", "", true)]
    [InlineData("get", "core", "pods", "", "get,list", "core", "pods", "", false)]
    [InlineData("*", "*", "*", "", "delete", "apps", "deployments", "", true)]
    [InlineData("get", "core", "*", "", "get", "*", "pods", "", false)] // a wildcard is only covered by a wildcard
    [InlineData("get", "core", "pods/*", "", "get", "core", "pods/log", "", true)]
    [InlineData("get", "core", "*/status", "", "get", "core", "pods/status", "", true)]
    [InlineData("get", "core", "pods", "a", "get", "core", "pods", "a", true)]
    [InlineData("get", "core", "pods", "a", "get", "core", "pods", "", false)] // names restrict what is held
    [InlineData("get", "core", "pods", "", "get", "core", "pods", "a,b", true)]
    public void Held_rules_cover_requested_rules_as_upstream(string verbs, string groups, string resources, string names,
        string wantVerbs, string wantGroups, string wantResources, string wantNames, bool covered)
    {
        var missing = RuleCoverage.Missing([Rule(verbs, groups, resources, names)], [Rule(wantVerbs, wantGroups, wantResources, wantNames)]);

        (missing.Count == 0).Should().Be(covered);
    }

    [Theory]
    [InlineData("/healthz", "get", true)]
    [InlineData("/metrics", "get", false)]
    [InlineData("/api/v1", "post", false)]
    public void Non_resource_urls_are_covered_by_equal_urls_and_prefixes(string url, string verb, bool covered) =>
        (RuleCoverage.Missing([Urls("get", "/healthz,/api/*")], [Urls(verb, url)]).Count == 0).Should().Be(covered);

    [Fact]
    public void Missing_permissions_print_compacted_and_sorted_as_upstream()
    {
        var missing = RuleCoverage.Missing([Rule("get", "core", "pods")],
            [Rule("get,list,watch", "core", "pods,secrets"), Rule("get", "apps", "deployments", "web"), Urls("get", "/metrics")]);

        RuleCoverage.Describe(missing).Should().Equal(
            """{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}""",
            """{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}""",
            """{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}""",
            """{NonResourceURLs:["/metrics"], Verbs:["get"]}""");
    }
}
