using K8sSharp.Client.CommandLine;

namespace K8sSharp.Client.Tests;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(3_723_500, "1h2m3.5s")]
    [InlineData(-2_000, "-2s")]
    public void Format_prints_durations_as_Go_does(long milliseconds, string expected) =>
        GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)).Should().Be(expected);

    [Theory]
    [InlineData("1m30s")]
    [InlineData("250ms")]
    [InlineData("2h0m1s")]
    public void Format_round_trips_through_Parse(string text) =>
        GoDuration.Format(GoDuration.Parse(text)).Should().Be(text);
}
