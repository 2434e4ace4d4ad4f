using K8sSharp.Client.Cache;

namespace K8sSharp.Client.Tests.Cache;

/// <summary>The string form of selectors (a Scale's status.selector) parsed and matched as labels.Parse does.</summary>
public sealed class LabelSelectorStringTests
{
    [Theory]
    [InlineData("app=web", "app=web,tier=fe", true)]
    [InlineData("app=web", "app=db", false)]
    [InlineData("app==web", "app=web", true)]
    [InlineData("app!=web", "tier=fe", true)]
    [InlineData("app!=web", "app=web", false)]
    [InlineData("app in (web,db),tier", "app=db,tier=x", true)]
    [InlineData("app in (web,db),tier", "app=db", false)]
    [InlineData("app notin (web), !canary", "app=db", true)]
    [InlineData("app notin (web), !canary", "app=db,canary=1", false)]
    [InlineData("", "anything=1", true)]
    public void Parsed_selectors_match_as_upstream(string selector, string labels, bool matches)
    {
        var labelMap = labels.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        LabelSelectors.Matches(LabelSelectors.Parse(selector), labelMap).Should().Be(matches);
    }

    [Theory]
    [InlineData("app in web")]
    [InlineData("a b=c")]
    [InlineData(",")]
    public void Malformed_selectors_are_rejected(string selector)
    {
        var parse = () => LabelSelectors.Parse(selector);

        parse.Should().Throw<FormatException>();
    }
}
