using K8sSharp.Api.Printing;

namespace K8sSharp.Api.Tests.Printing;

public class HumanDurationTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long S = TimeSpan.TicksPerSecond;
    private const long M = TimeSpan.TicksPerMinute;
    private const long H = TimeSpan.TicksPerHour;
    private const long D = TimeSpan.TicksPerDay;
    private const long Y = 365 * D;

    // The boundary table of upstream duration_test.go, plus the spot values of TestHumanDuration.
    [Theory]
    [InlineData(-2 * S, "<invalid>")]
    [InlineData(-2 * S + 1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(S - Ms, "0s")]
    [InlineData(S, "1s")]
    [InlineData(8 * S, "8s")]
    [InlineData(70 * S, "70s")]
    [InlineData(2 * M - Ms, "119s")]
    [InlineData(2 * M, "2m")]
    [InlineData(2 * M + S, "2m1s")]
    [InlineData(2 * M + 47 * S, "2m47s")]
    [InlineData(190 * S, "3m10s")]
    [InlineData(10 * M - Ms, "9m59s")]
    [InlineData(10 * M, "10m")]
    [InlineData(10 * M + S, "10m")]
    [InlineData(25 * M, "25m")]
    [InlineData(70 * M, "70m")]
    [InlineData(3 * H - Ms, "179m")]
    [InlineData(3 * H, "3h")]
    [InlineData(3 * H + M, "3h1m")]
    [InlineData(3 * H + 4 * M, "3h4m")]
    [InlineData(8 * H - Ms, "7h59m")]
    [InlineData(8 * H, "8h")]
    [InlineData(8 * H + 59 * M, "8h")]
    [InlineData(47 * H, "47h")]
    [InlineData(2 * D - Ms, "47h")]
    [InlineData(2 * D, "2d")]
    [InlineData(2 * D + H, "2d1h")]
    [InlineData(8 * D - Ms, "7d23h")]
    [InlineData(8 * D, "8d")]
    [InlineData(8 * D + 23 * H, "8d")]
    [InlineData(8 * D + 2 * H, "8d")]
    [InlineData(367 * D, "367d")]
    [InlineData(2 * Y - Ms, "729d")]
    [InlineData(2 * Y, "2y")]
    [InlineData(2 * Y + 23 * H + 59 * M, "2y")]
    [InlineData(2 * Y + D - Ms, "2y")]
    [InlineData(2 * Y + D, "2y1d")]
    [InlineData(2 * Y + 25 * H, "2y1d")]
    [InlineData(5 * Y, "5y")]
    [InlineData(8 * Y - Ms, "7y364d")]
    [InlineData(8 * Y, "8y")]
    [InlineData(8 * Y + 364 * D, "8y")]
    [InlineData(9 * Y, "9y")]
    public void FormatsLikeUpstream(long ticks, string expected)
    {
        HumanDuration.Format(TimeSpan.FromTicks(ticks)).Should().Be(expected);
    }

    [Fact]
    public void SinceIsUnknownWithoutATimestamp()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        HumanDuration.Since(null, now).Should().Be("<unknown>");
        HumanDuration.Since(now.AddMinutes(-25), now).Should().Be("25m");
    }
}
