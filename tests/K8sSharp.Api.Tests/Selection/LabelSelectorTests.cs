using System.Text.Json.Nodes;
using K8sSharp.Api.Selection;

namespace K8sSharp.Api.Tests.Selection;

public class LabelSelectorTests
{
    // Accepted syntax and the canonical form upstream's String() prints for it (sorted by key, values sorted).
    [Theory]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("a=b", "a=b")]
    [InlineData("a==b", "a==b")]
    [InlineData("a!=b", "a!=b")]
    [InlineData("a", "a")]
    [InlineData("!a", "!a")]
    [InlineData(" ! a ", "!a")]
    [InlineData("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()")]
    [InlineData("b=2,a=1", "a=1,b=2")]
    [InlineData("env in (prod, qa, prod)", "env in (prod,qa)")]
    [InlineData("a=", "a=")]
    [InlineData("a=,b", "a=,b")]
    [InlineData("a in (,)", "a in ()")]
    [InlineData("in in (in,notin)", "in in (in,notin)")]
    [InlineData("a=in", "a=in")]
    [InlineData("example.com/app.kubernetes.io-name=x_y.z", "example.com/app.kubernetes.io-name=x_y.z")]
    [InlineData("replicas>2,replicas<10", "replicas>2,replicas<10")]
    [InlineData("\ta\n=\rb", "a=b")]
    public void ParsesToCanonicalForm(string text, string canonical)
    {
        LabelSelector.Parse(text).ToString().Should().Be(canonical);
    }

    [Fact]
    public void NullAndEmptyTextSelectEverything()
    {
        LabelSelector.Parse(null).IsEmpty.Should().BeTrue();
        LabelSelector.Parse("").Matches(new Dictionary<string, string>()).Should().BeTrue();
    }

    // (selector, labels as "k=v;k2=v2", expected match)
    [Theory]
    [InlineData("app=web", "app=web", true)]
    [InlineData("app=web", "app=db", false)]
    [InlineData("app=web", "", false)]
    [InlineData("app!=web", "", true)]
    [InlineData("app!=web", "app=web", false)]
    [InlineData("app in (web,db)", "app=db", true)]
    [InlineData("app in (web,db)", "app=cache", false)]
    [InlineData("app notin (web,db)", "tier=x", true)]
    [InlineData("app notin (web,db)", "app=web", false)]
    [InlineData("app", "app=", true)]
    [InlineData("app", "tier=x", false)]
    [InlineData("!app", "tier=x", true)]
    [InlineData("!app", "app=x", false)]
    [InlineData("app=web,tier", "app=web;tier=fe", true)]
    [InlineData("app=web,tier", "app=web", false)]
    [InlineData("app=", "app=", true)]
    [InlineData("n>2", "n=3", true)]
    [InlineData("n>2", "n=2", false)]
    [InlineData("n<2", "n=-5", true)]
    [InlineData("n>2", "n=abc", false)]
    [InlineData("n<2", "", false)]
    public void MatchesLabels(string selector, string labels, bool expected)
    {
        LabelSelector.Parse(selector).Matches(Labels(labels)).Should().Be(expected);
    }

    [Fact]
    public void MatchesMetadataLabelsJson()
    {
        var labels = JsonNode.Parse("""{"app":"web","tier":"fe"}""")!.AsObject();
        LabelSelector.Parse("app=web,tier in (fe)").Matches(labels).Should().BeTrue();
        LabelSelector.Parse("app=web").Matches((JsonObject?)null).Should().BeFalse();
    }

    // Rejected syntax with the exact upstream messages.
    [Theory]
    [InlineData("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData(",", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("a,", "found '', expected: identifier after ','")]
    [InlineData("a=b c", "found 'c', expected: ',' or 'end of string'")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("!a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("a in b", "unable to parse requirement: found 'b' expected: '('")]
    [InlineData("a in (b", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'")]
    [InlineData("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier")]
    [InlineData("a=(b)", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("a>b", "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("(", "found '(', expected: !, identifier, or 'end of string'")]
    public void RejectsMalformedSyntax(string text, string message)
    {
        var parse = () => LabelSelector.Parse(text);
        parse.Should().Throw<SelectorParseException>().WithMessage(message);
    }

    [Theory]
    [InlineData("a@b=c", "<nil>: Invalid value: \"a@b\": name part must consist of")]
    [InlineData("-app=x", "<nil>: Invalid value: \"-app\": name part must consist of alphanumeric characters")]
    [InlineData("Example.com/app=x", "<nil>: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain")]
    [InlineData("/app=x", "<nil>: Invalid value: \"/app\": prefix part must be non-empty")]
    [InlineData("a/b/c", "<nil>: Invalid value: \"a/b/c\": a valid label key must consist of")]
    [InlineData("app/=x", "<nil>: Invalid value: \"app/\": name part must be non-empty; name part must consist of")]
    public void RejectsInvalidKeys(string text, string messageStart)
    {
        var parse = () => LabelSelector.Parse(text);
        parse.Should().Throw<SelectorParseException>()
            .Which.Message.Should().StartWith("unable to parse requirement: " + messageStart);
    }

    [Fact]
    public void InvalidKeyMessageMatchesUpstreamExactly()
    {
        var parse = () => LabelSelector.Parse("-app=x");
        parse.Should().Throw<SelectorParseException>().Which.Message.Should().Be(
            "unable to parse requirement: <nil>: Invalid value: \"-app\": name part must consist of alphanumeric characters, " +
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or " +
            "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }

    [Fact]
    public void InvalidValueMessageNamesTheSortedIndexAndKey()
    {
        var parse = () => LabelSelector.Parse("env in (prod, -bad)");
        parse.Should().Throw<SelectorParseException>().Which.Message.Should().Be(
            "unable to parse requirement: values[0][env]: Invalid value: \"-bad\": a valid label must be an empty string or " +
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
            "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }

    [Fact]
    public void SeveralInvalidValuesAreAggregatedInBrackets()
    {
        var parse = () => LabelSelector.Parse("env in (-a,-b)");
        var message = parse.Should().Throw<SelectorParseException>().Which.Message;
        message.Should().StartWith("unable to parse requirement: [values[0][env]: Invalid value: \"-a\"");
        message.Should().Contain(", values[1][env]: Invalid value: \"-b\"").And.EndWith("')]");
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    public void KeyNameAndValueAreLimitedTo63Bytes(int length, bool valid)
    {
        var name = new string('a', length);
        LabelSelector.TryParse($"{name}=x", out _, out var keyError).Should().Be(valid);
        LabelSelector.TryParse($"k={name}", out _, out var valueError).Should().Be(valid);
        if (!valid)
        {
            keyError.Should().Contain("name part must be no more than 63 bytes");
            valueError.Should().Contain("must be no more than 63 bytes");
        }
    }

    [Fact]
    public void FromJsonConvertsMatchLabelsAndExpressions()
    {
        var selector = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels": {"app": "web"},
             "matchExpressions": [
               {"key": "tier", "operator": "In", "values": ["fe", "be"]},
               {"key": "canary", "operator": "DoesNotExist"},
               {"key": "env", "operator": "NotIn", "values": ["dev"]},
               {"key": "zone", "operator": "Exists"}]}
            """)!.AsObject());
        selector.ToString().Should().Be("app=web,!canary,env notin (dev),tier in (be,fe),zone");
        selector.Matches(Labels("app=web;tier=fe;zone=a")).Should().BeTrue();
        selector.Matches(Labels("app=web;tier=fe;zone=a;canary=1")).Should().BeFalse();
        selector.Matches(Labels("app=web;tier=fe")).Should().BeFalse();
    }

    [Fact]
    public void FromJsonOfNullSelectsNothingAndOfEmptySelectsEverything()
    {
        LabelSelector.FromJson(null).Matches(Labels("a=b")).Should().BeFalse();
        LabelSelector.FromJson(null).MatchesNothing.Should().BeTrue();
        LabelSelector.FromJson(new JsonObject()).Matches(Labels("a=b")).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Foo"}]}""", "\"Foo\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In"}]}""", "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist")]
    [InlineData("""{"matchLabels":{"a":"-x"}}""", "values[0][a]: Invalid value: \"-x\": a valid label must be an empty string*")]
    [InlineData("""{"matchLabels":{"b c":"x"}}""", "key: Invalid value: \"b c\": name part must consist of*")]
    public void FromJsonRejectsInvalidSelectors(string json, string message)
    {
        var convert = () => LabelSelector.FromJson(JsonNode.Parse(json)!.AsObject());
        convert.Should().Throw<SelectorParseException>().WithMessage(message);
    }

    private static Dictionary<string, string> Labels(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
}
