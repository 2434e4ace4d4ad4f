using System.Text;
using K8sSharp.Kubelet.Server.Logs;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>The CRI log reader behind <c>kubectl logs</c>, on temp files (upstream's kuberuntime/logs semantics).</summary>
public sealed class CriLogReaderTests : IDisposable
{
    private const string Sample =
        "2024-01-01T00:00:01.000000001Z stdout F one\n" +
        "2024-01-01T00:00:02Z stderr P par\n" +
        "2024-01-01T00:00:02.5Z stderr F tial\n" +
        "2024-01-01T00:00:03Z stdout F three\n";

    private readonly string dir = Directory.CreateTempSubdirectory("k8ssharp-logs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string content, string name = "0.log")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<string> ReadAsync(string path, LogRequest request, ILogFollower? follower = null)
    {
        using var output = new MemoryStream();
        await CriLogReader.ReadAsync(path, request, output, follower ?? new ScriptedFollower(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static DateTimeOffset At(double seconds) => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds);

    [Fact]
    public async Task Lines_lose_their_cri_prefix_and_partial_lines_are_joined()
    {
        (await ReadAsync(Write(Sample), new LogRequest())).Should().Be("one\npartial\nthree\n");
    }

    [Fact]
    public async Task Timestamps_prefix_each_output_line_once_with_the_first_part_s_time()
    {
        (await ReadAsync(Write(Sample), new LogRequest { Timestamps = true })).Should().Be(
            "2024-01-01T00:00:01.000000001Z one\n2024-01-01T00:00:02Z partial\n2024-01-01T00:00:03Z three\n");
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "three\n")]
    [InlineData(2, "tial\nthree\n")]
    [InlineData(4, "one\npartial\nthree\n")]
    [InlineData(100, "one\npartial\nthree\n")]
    public async Task TailLines_counts_the_file_s_lines_from_the_end(long tail, string expected)
    {
        (await ReadAsync(Write(Sample), new LogRequest { TailLines = tail })).Should().Be(expected);
    }

    [Theory]
    [InlineData(2, "partial\nthree\n")]
    [InlineData(2.2, "tial\nthree\n")]
    [InlineData(3.5, "")]
    public async Task Since_skips_the_lines_written_before_it(double seconds, string expected)
    {
        (await ReadAsync(Write(Sample), new LogRequest { Since = At(seconds) })).Should().Be(expected);
    }

    [Theory]
    [InlineData(1, "o")]
    [InlineData(6, "one\npa")]
    [InlineData(1000, "one\npartial\nthree\n")]
    public async Task LimitBytes_cuts_the_output(long limit, string expected)
    {
        (await ReadAsync(Write(Sample), new LogRequest { LimitBytes = limit })).Should().Be(expected);
    }

    [Fact]
    public async Task Unparsable_lines_are_skipped_and_an_unterminated_last_line_is_still_shown()
    {
        var path = Write("garbage\n2024-01-01T00:00:01Z stdout F a\n2024-01-01T00:00:02Z stdout F b");
        (await ReadAsync(path, new LogRequest())).Should().Be("a\nb\n");
    }

    [Fact]
    public async Task Follow_streams_appended_lines_waits_for_a_line_to_be_finished_and_stops_when_the_container_is_gone()
    {
        var path = Write(Sample + "2024-01-01T00:00:04Z stdout F fo");
        var follower = new ScriptedFollower(
            () => File.AppendAllText(path, "ur\n"),
            () => File.AppendAllText(path, "2024-01-01T00:00:05Z stdout F five\n"));

        // The unterminated "fo" counts as the last line of the file, as upstream's tail does.
        var output = await ReadAsync(path, new LogRequest { Follow = true, TailLines = 2 }, follower);

        output.Should().Be("three\nfour\nfive\n");
        follower.Calls.Should().Be(3, "the third wait reports the container gone");
    }

    [Fact]
    public async Task Follow_reopens_a_file_replaced_under_the_same_name_after_draining_the_old_one()
    {
        var path = Write("2024-01-01T00:00:01Z stdout F old-1\n");
        var follower = new ScriptedFollower(() =>
        {
            File.AppendAllText(path, "2024-01-01T00:00:02Z stdout F old-2\n");
            File.Move(path, path + ".20240101-000002");
            File.WriteAllText(path, "2024-01-01T00:00:03Z stdout F new-1\n");
        });

        var output = await ReadAsync(path, new LogRequest { Follow = true }, follower);

        output.Should().Be("old-1\nold-2\nnew-1\n");
    }

    [Fact]
    public async Task Without_follow_the_reader_never_waits()
    {
        var follower = new ScriptedFollower();
        await ReadAsync(Write(Sample), new LogRequest(), follower);
        follower.Calls.Should().Be(0);
    }

    /// <summary>
    /// Each wait runs the next step (a change to the file) and reports the container running; once the steps are
    /// used up it reports the container gone.
    /// </summary>
    private sealed class ScriptedFollower(params Action[] steps) : ILogFollower
    {
        public int Calls { get; private set; }

        public Task<bool> WaitAsync(CancellationToken cancellationToken)
        {
            var step = Calls++;
            if (step >= steps.Length)
            {
                return Task.FromResult(false);
            }
            steps[step]();
            return Task.FromResult(true);
        }
    }
}
