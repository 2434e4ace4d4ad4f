using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Google.Protobuf;
using K8sSharp.Api.Protobuf;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Protobuf responses and watch frames for typed clients, and selector-aware watches.</summary>
public sealed class WireFormatApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Path = "/api/v1/namespaces/default/configmaps";
    private const string ProtobufAccept = "application/vnd.kubernetes.protobuf,application/json";

    private async Task<string> CreateAsync(string name, string app)
    {
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + app + "\"}},\"data\":{\"v\":\"1\"}}";
        var response = await server.Client.PostAsync(Path, Body(body));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.ReadObjectAsync())["metadata"]!["resourceVersion"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> RelabelAsync(string name, string app) =>
        server.Client.PatchAsync($"{Path}/{name}", Body("{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}", "application/merge-patch+json"));

    private async Task<HttpResponseMessage> SendAsync(string url, string accept, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        return await server.Client.SendAsync(request, completion);
    }

    [Fact]
    public async Task GetWithProtobufFirstInAcceptAnswersTheKubernetesEnvelope()
    {
        await CreateAsync("pb-get", "pb");

        using var response = await SendAsync($"{Path}/pb-get", ProtobufAccept);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.kubernetes.protobuf");
        bytes.Take(4).Should().Equal("k8s\0"u8.ToArray());
        var decoded = KubeProtobuf.Decode(bytes);
        decoded["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        decoded["data"]!["v"]!.GetValue<string>().Should().Be("1");
    }

    [Fact]
    public async Task ListsAndErrorsAreProtobufToo()
    {
        await CreateAsync("pb-list", "pb");

        using var list = await SendAsync(Path + "?labelSelector=app%3Dpb", ProtobufAccept);
        using var missing = await SendAsync($"{Path}/no-such-map", ProtobufAccept);

        KubeProtobuf.Decode(await list.Content.ReadAsByteArrayAsync())["kind"]!.GetValue<string>().Should().Be("ConfigMapList");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var status = KubeProtobuf.Decode(await missing.Content.ReadAsByteArrayAsync());
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["reason"]!.GetValue<string>().Should().Be("NotFound");
    }

    [Fact]
    public async Task JsonStaysTheAnswerWhenJsonComesFirst()
    {
        await CreateAsync("pb-json", "pb");

        using var response = await SendAsync($"{Path}/pb-json", "application/json,application/vnd.kubernetes.protobuf");

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
    }

    [Fact]
    public async Task ProtobufWatchSendsLengthPrefixedWatchEventFrames()
    {
        await CreateAsync("pb-watch", "pb");

        using var response = await SendAsync($"{Path}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dpb-watch&timeoutSeconds=5",
            ProtobufAccept, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var length = new byte[4];
        await stream.ReadExactlyAsync(length);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
        await stream.ReadExactlyAsync(frame);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.kubernetes.protobuf");
        response.Content.Headers.ContentType.Parameters.Select(p => p.ToString()).Should().Contain("stream=watch");
        var (type, obj) = ReadWatchEvent(frame);
        type.Should().Be("ADDED");
        obj["metadata"]!["name"]!.GetValue<string>().Should().Be("pb-watch");
    }

    /// <summary>Envelope (magic, 2 raw) -> WatchEvent {1 type, 2 RawExtension {1 raw = the object's own envelope}}.</summary>
    private static (string Type, JsonObject Object) ReadWatchEvent(byte[] frame)
    {
        frame.Take(4).Should().Equal("k8s\0"u8.ToArray());
        var envelope = Fields(ByteString.CopyFrom(frame, 4, frame.Length - 4));
        var watchEvent = Fields(envelope[2]);
        var raw = Fields(watchEvent[2])[1];
        return (watchEvent[1].ToStringUtf8(), KubeProtobuf.Decode(raw.Span));
    }

    private static Dictionary<int, ByteString> Fields(ByteString message)
    {
        var input = message.CreateCodedInput();
        var fields = new Dictionary<int, ByteString>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            fields[WireFormat.GetTagFieldNumber(tag)] = input.ReadBytes();
        }
        return fields;
    }

    [Fact]
    public async Task LabelSelectorWatchSeesDeletedWhenAnObjectLeavesAndAddedWhenItReturns()
    {
        var rv = await CreateAsync("sel-a", "sel");

        (await RelabelAsync("sel-a", "other")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RelabelAsync("sel-a", "other2")).StatusCode.Should().Be(HttpStatusCode.OK); // outside before and after: nothing
        (await RelabelAsync("sel-a", "sel")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Resuming from the creation replays the three changes through the selector.
        using var response = await SendAsync($"{Path}?watch=true&resourceVersion={rv}&labelSelector=app%3Dsel&timeoutSeconds=5",
            "application/json", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<JsonObject>();
        while (events.Count < 2 && await reader.ReadLineAsync() is { } line)
        {
            events.Add((JsonObject)JsonNode.Parse(line)!);
        }

        events.Select(e => (string?)e["type"]).Should().Equal("DELETED", "ADDED");
        events[0]["object"]!["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("other", "DELETED carries the new state");
    }

    [Fact]
    public async Task PartialObjectMetadataAnswersMetadataOnlyForGetListAndWatch()
    {
        await CreateAsync("pom-a", "pom");

        using var get = await SendAsync($"{Path}/pom-a", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        using var list = await SendAsync(Path + "?labelSelector=app%3Dpom",
            "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");
        using var watch = await SendAsync($"{Path}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dpom-a&timeoutSeconds=1",
            "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");

        var obj = await get.ReadObjectAsync();
        obj["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
        obj["apiVersion"]!.GetValue<string>().Should().Be("meta.k8s.io/v1");
        obj["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("pom");
        obj.ContainsKey("data").Should().BeFalse();
        var decoded = KubeProtobuf.Decode(await list.Content.ReadAsByteArrayAsync());
        decoded["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadataList");
        decoded["items"]![0]!["metadata"]!["name"]!.GetValue<string>().Should().Be("pom-a");
        var firstEvent = JsonNode.Parse((await watch.Content.ReadAsStringAsync()).Split('\n')[0])!;
        firstEvent["object"]!["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
    }

    [Fact]
    public async Task APartialObjectMetadataListForASingleObjectIsNotAcceptable()
    {
        await CreateAsync("pom-b", "pom");

        using var response = await SendAsync($"{Path}/pom-b", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");

        response.StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
        (await response.ReadObjectAsync())["reason"]!.GetValue<string>().Should().Be("NotAcceptable");
    }
}
