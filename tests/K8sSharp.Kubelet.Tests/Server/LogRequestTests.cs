using K8sSharp.Kubelet.Server.Logs;

namespace K8sSharp.Kubelet.Tests.Server;

public sealed class LogRequestTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static LogRequest Parse(params (string Name, string Value)[] query) =>
        LogRequest.Parse(name => query.Where(q => q.Name == name).Select(q => q.Value).FirstOrDefault(), Now);

    [Fact]
    public void The_api_server_s_options_are_read_by_name()
    {
        var request = Parse(("follow", "true"), ("previous", "true"), ("timestamps", "true"), ("tailLines", "5"), ("limitBytes", "100"), ("sinceSeconds", "60"));

        request.Should().Be(new LogRequest { Follow = true, Previous = true, Timestamps = true, TailLines = 5, LimitBytes = 100, Since = Now.AddSeconds(-60) });
    }

    [Fact]
    public void SinceTime_is_an_rfc3339_time()
    {
        Parse(("sinceTime", "2024-01-01T11:00:00Z")).Since.Should().Be(new DateTimeOffset(2024, 1, 1, 11, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("tailLines", "-1", "tailLines: Invalid value: must be greater than or equal to 0")]
    [InlineData("limitBytes", "0", "limitBytes: Invalid value: must be greater than 0")]
    [InlineData("sinceSeconds", "0", "sinceSeconds: Invalid value: must be greater than 0")]
    [InlineData("tailLines", "x", "tailLines: Invalid value: \"x\": not an integer")]
    [InlineData("follow", "maybe", "follow: Invalid value: \"maybe\": not a boolean")]
    public void Invalid_values_are_refused_with_upstream_s_messages(string name, string value, string message)
    {
        var parse = () => Parse((name, value));
        parse.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void SinceSeconds_and_sinceTime_exclude_each_other()
    {
        var parse = () => Parse(("sinceSeconds", "5"), ("sinceTime", "2024-01-01T11:00:00Z"));
        parse.Should().Throw<FormatException>().WithMessage("*at most one of `sinceTime` or `sinceSeconds` may be specified");
    }
}
