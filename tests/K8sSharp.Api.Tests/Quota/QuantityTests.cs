using K8sSharp.Api.Quota;

namespace K8sSharp.Api.Tests.Quota;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("1000m", "1")]
    [InlineData("2000", "2k")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("100M", "100M")]
    [InlineData("0.5", "500m")]
    [InlineData("0", "0")]
    [InlineData("1025Ki", "1025Ki")]
    public void PrintsTheCanonicalForm(string text, string expected) =>
        Quantity.Parse(text)!.Value.ToString().Should().Be(expected);

    [Theory]
    [InlineData("512Mi", "1Gi", "1536Mi")]
    [InlineData("250m", "750m", "1")]
    [InlineData("0", "64Mi", "64Mi")]
    public void SumsKeepTheLeftFormatUnlessItIsZero(string a, string b, string expected) =>
        Quantity.Parse(a)!.Value.Add(Quantity.Parse(b)!.Value).ToString().Should().Be(expected);

    [Fact]
    public void InvalidTextIsNull() => Quantity.Parse("lots").Should().BeNull();

    [Fact]
    public void ExceedingNamesOnlyTheLimitedResourcesAboveTheirLimit()
    {
        var used = new ResourceList { ["pods"] = Quantity.Of(3), ["cpu"] = Quantity.Parse("1")!.Value, ["secrets"] = Quantity.Of(9) };
        var hard = new ResourceList { ["pods"] = Quantity.Of(2), ["cpu"] = Quantity.Parse("2")!.Value };

        used.Exceeding(hard).Should().Equal("pods");
        used.Mask(["cpu", "pods"]).Pretty().Should().Be("cpu=1,pods=3");
    }
}
