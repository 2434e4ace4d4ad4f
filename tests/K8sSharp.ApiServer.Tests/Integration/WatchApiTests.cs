using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Watch semantics clients depend on: initial events, the watch-list bookmark, resume, 410 and timeouts.</summary>
public sealed class WatchApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Path = "/api/v1/namespaces/default/configmaps";

    private static string ConfigMap(string name, string value = "1") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"v\":\"" + value + "\"}}";

    private async Task<string> CreateAsync(string name, string value = "1")
    {
        var response = await server.Client.PostAsync(Path, Body(ConfigMap(name, value)));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.ReadObjectAsync())["metadata"]!["resourceVersion"]!.GetValue<string>();
    }

    /// <summary>Reads events until <paramref name="count"/> arrived or the stream ended (timeoutSeconds bounds it).</summary>
    private async Task<List<JsonObject>> ReadEventsAsync(string query, int count, Func<Task>? afterOpen = null)
    {
        using var response = await server.Client.GetAsync(Path + query, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        if (afterOpen is not null)
        {
            await afterOpen();
        }
        var events = new List<JsonObject>();
        while (events.Count < count && await reader.ReadLineAsync() is { } line)
        {
            events.Add((JsonObject)JsonNode.Parse(line)!);
        }
        return events;
    }

    private static string Describe(JsonObject e) =>
        $"{e["type"]}:{e["object"]!["metadata"]?["name"]}";

    [Fact]
    public async Task WatchListSendsInitialEventsThenTheEndBookmarkThenChanges()
    {
        await CreateAsync("wl-a");
        var events = await ReadEventsAsync(
            "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dwl-a&timeoutSeconds=5",
            3,
            async () => await server.Client.DeleteAsync(Path + "/wl-a"));
        events.Select(Describe).Should().Equal("ADDED:wl-a", "BOOKMARK:", "DELETED:wl-a");
        events[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>().Should().Be("true");
        events[0]["object"]!["kind"]!.GetValue<string>().Should().Be("ConfigMap");
    }

    [Fact]
    public async Task SendInitialEventsWithoutNotOlderThanIsRejected()
    {
        var response = await server.Client.GetAsync(Path + "?watch=true&sendInitialEvents=true");
        response.StatusCode.Should().Be((HttpStatusCode)422);
    }

    [Fact]
    public async Task WatchFromAResourceVersionReplaysLaterChangesInOrder()
    {
        var rv = await CreateAsync("resume");
        await server.Client.PutAsync(Path + "/resume", Body(ConfigMap("resume", "2")));
        await server.Client.DeleteAsync(Path + "/resume");
        var events = await ReadEventsAsync($"?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dresume&timeoutSeconds=5", 2);
        events.Select(Describe).Should().Equal("MODIFIED:resume", "DELETED:resume");
        events[0]["object"]!["data"]!["v"]!.GetValue<string>().Should().Be("2");
    }

    [Fact]
    public async Task WatchWithResourceVersionZeroStartsWithTheCurrentObject()
    {
        await CreateAsync("current");
        var events = await ReadEventsAsync("?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dcurrent&timeoutSeconds=2", 1);
        events.Select(Describe).Should().Equal("ADDED:current");
    }

    [Fact]
    public async Task TimeoutSecondsEndsTheStream()
    {
        var events = await ReadEventsAsync("?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dnothing&timeoutSeconds=1", 10);
        events.Should().BeEmpty("the stream ends when timeoutSeconds elapse, with no event");
    }

    [Fact]
    public async Task TableWatchSendsColumnsOnlyWithTheFirstEvent()
    {
        await CreateAsync("tbl-1");
        await CreateAsync("tbl-2");
        server.Client.DefaultRequestHeaders.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        try
        {
            var events = await ReadEventsAsync("?watch=true&resourceVersion=0&labelSelector=&timeoutSeconds=2&fieldSelector=metadata.namespace%3Ddefault", 2);
            events.Should().HaveCount(2);
            events[0]["object"]!["kind"]!.GetValue<string>().Should().Be("Table");
            events[0]["object"]!.AsObject().ContainsKey("columnDefinitions").Should().BeTrue();
            events[1]["object"]!.AsObject().ContainsKey("columnDefinitions").Should().BeFalse();
        }
        finally
        {
            server.Client.DefaultRequestHeaders.Accept.Clear();
        }
    }
}
