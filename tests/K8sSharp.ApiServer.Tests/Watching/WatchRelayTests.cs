using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;
using K8sSharp.ApiServer.Watching;
using K8sSharp.ApiServer.Tests.Integration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ApiServer.Tests.Watching;

/// <summary>
/// The relay between the watch cache and one watch response: order, one flush per ready burst, and the BOOKMARK
/// after a minute of quiet (virtual time). The response body is the edge: a stream that records bytes and flushes.
/// </summary>
public sealed class WatchRelayTests : IDisposable
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["watch"], [], [], []);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingBody body = new();

    public void Dispose() => body.Dispose();

    private WatchEventWriter Writer()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return new WatchEventWriter(context.Response, ConfigMaps, new Negotiated(OutputFormat.Json, "Object"), time);
    }

    private static ObjectEvent Added(string name, long revision) => new(WatchEventKind.Added, revision,
        Encoding.UTF8.GetBytes($$$"""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"{{{name}}}","resourceVersion":"{{{revision}}}"}}"""));

    [Fact]
    public async Task Events_already_waiting_are_written_in_order_and_flushed_once()
    {
        var source = Channel.CreateUnbounded<ObjectEvent>();
        foreach (var change in new[] { Added("a", 5), Added("b", 6), Added("c", 7) })
        {
            source.Writer.TryWrite(change);
        }
        source.Writer.Complete();

        using var relay = new WatchRelay(Writer(), after: 4, time);
        await relay.RunAsync(source.Reader.ReadAllAsync(), bookmarks: false, CancellationToken.None);

        body.Events().Select(e => $"{e["type"]}:{e["object"]!["metadata"]!["name"]}").Should().Equal("ADDED:a", "ADDED:b", "ADDED:c");
        body.Flushes.Should().Be(1, "a burst that is ready at once goes out as one flush");
    }

    [Fact]
    public async Task Each_later_event_is_flushed_when_it_arrives()
    {
        var source = Channel.CreateUnbounded<ObjectEvent>();
        using var relay = new WatchRelay(Writer(), after: 4, time);
        var running = relay.RunAsync(source.Reader.ReadAllAsync(), bookmarks: false, CancellationToken.None);

        source.Writer.TryWrite(Added("a", 5));
        await Eventually.TrueAsync(() => Task.FromResult(body.Events().Count == 1), "the first event is flushed without waiting for more");
        source.Writer.TryWrite(Added("b", 6));
        await Eventually.TrueAsync(() => Task.FromResult(body.Events().Count == 2), "the second event is flushed too");
        source.Writer.Complete();
        await running;
    }

    [Fact]
    public async Task A_minute_of_quiet_sends_a_bookmark_with_the_last_revision_sent()
    {
        var source = Channel.CreateUnbounded<ObjectEvent>();
        using var stop = new CancellationTokenSource();
        using var relay = new WatchRelay(Writer(), after: 4, time);
        var running = relay.RunAsync(source.Reader.ReadAllAsync(stop.Token), bookmarks: true, stop.Token);
        source.Writer.TryWrite(Added("a", 9));
        await Eventually.TrueAsync(() => Task.FromResult(body.Events().Count == 1), "the event is written");

        time.Advance(WatchRelay.BookmarkInterval);
        await Eventually.TrueAsync(() => Task.FromResult(body.Events().Count == 2), "a bookmark follows a minute of quiet");

        var bookmark = body.Events()[1];
        bookmark["type"]!.GetValue<string>().Should().Be("BOOKMARK");
        bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("9");
        bookmark["object"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        await stop.CancelAsync();
        var stopped = async () => await running;
        await stopped.Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>The response body: keeps what was written and counts flushes; safe to read while the relay writes.</summary>
    private sealed class RecordingBody : MemoryStream
    {
        private readonly Lock gate = new();
        private int flushes;

        public int Flushes => Volatile.Read(ref flushes);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            lock (gate)
            {
                Write(buffer.Span);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref flushes);
            return Task.CompletedTask;
        }

        public List<JsonObject> Events()
        {
            string text;
            lock (gate)
            {
                text = Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
            return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (JsonObject)JsonNode.Parse(line)!)];
        }
    }
}
