using K8sSharp.Api.Selection;

namespace K8sSharp.Api.Tests.Selection;

public class FieldSelectorTests
{
    // (text, requirements rendered as "field op value" joined by " & ") — terms come back sorted.
    [Theory]
    [InlineData("", "")]
    [InlineData("metadata.name=foo", "metadata.name = foo")]
    [InlineData("metadata.name==foo", "metadata.name = foo")]
    [InlineData("status.phase!=Running", "status.phase != Running")]
    [InlineData("spec.nodeName=n1,metadata.name=a", "metadata.name = a & spec.nodeName = n1")]
    [InlineData("a=", "a = ")]
    [InlineData("=v", " = v")]
    [InlineData("=", "")]
    [InlineData("a=b,,c=d", "a = b & c = d")]
    [InlineData(@"a=x\,y", "a = x,y")]
    [InlineData(@"a=x\=y", "a = x=y")]
    [InlineData(@"a=x\\y", @"a = x\y")]
    [InlineData(@"a=x\\,b=y", @"a = x\ & b = y")]
    [InlineData(@"a==b\=c", "a = b=c")]
    [InlineData(" a = b ", " a  =  b ")]
    public void ParsesTerms(string text, string expected)
    {
        var rendered = string.Join(" & ", FieldSelector.Parse(text).Requirements
            .Select(r => r.Field + (r.Operator == FieldOperator.Equals ? " = " : " != ") + r.Value));
        rendered.Should().Be(expected);
    }

    [Theory]
    [InlineData("foo", "invalid selector: 'foo'; can't understand 'foo'")]
    [InlineData("a=b,foo", "invalid selector: 'a=b,foo'; can't understand 'foo'")]
    [InlineData(@"a=b\c", @"invalid field selector: invalid escape sequence: \c")]
    [InlineData(@"a=b\", @"invalid field selector: invalid escape sequence: \")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a!=b!=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a!==b", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    public void RejectsMalformedSelectors(string text, string message)
    {
        var parse = () => FieldSelector.Parse(text);
        parse.Should().Throw<SelectorParseException>().Which.Message.Should().Be(message);
    }

    [Theory]
    [InlineData("status.phase=Running", "Running", true)]
    [InlineData("status.phase=Running", "Pending", false)]
    [InlineData("status.phase!=Running", "Pending", true)]
    [InlineData("status.phase!=Running", "Running", false)]
    [InlineData("status.phase=Running,metadata.name=p", "Running", true)]
    [InlineData("status.phase=Running,metadata.name=q", "Running", false)]
    [InlineData("spec.nodeName=", "Running", true)]
    [InlineData("spec.nodeName!=n1", "Running", true)]
    public void MatchesFieldSets(string selector, string phase, bool expected)
    {
        var fields = new Dictionary<string, string> { ["status.phase"] = phase, ["metadata.name"] = "p" };
        FieldSelector.Parse(selector).Matches(fields).Should().Be(expected);
    }

    [Theory]
    [InlineData("a=b", "a=b")]
    [InlineData(@"b=x\,y,a!=z", @"a!=z,b=x\,y")]
    [InlineData(@"a=x\\y\=", @"a=x\\y\=")]
    public void RoundTripsWithEscaping(string text, string canonical)
    {
        FieldSelector.Parse(text).ToString().Should().Be(canonical);
    }

    [Fact]
    public void ReportsExactMatchRequirements()
    {
        var selector = FieldSelector.Parse("spec.nodeName=n1,status.phase!=Failed");
        selector.RequiresExactMatch("spec.nodeName", out var node).Should().BeTrue();
        node.Should().Be("n1");
        selector.RequiresExactMatch("status.phase", out _).Should().BeFalse();
    }
}
