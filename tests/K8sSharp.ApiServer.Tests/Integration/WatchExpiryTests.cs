using System.Net;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>A server whose watch cache remembers only the last 20 events, so old revisions expire quickly.</summary>
public sealed class ShortHistoryFixture : ApiServerFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(sp => new CachedStorage(sp.GetRequiredService<IStorage>(), "/registry/", new CachedStorageOptions { HistoryCapacity = 20 }));
}

public sealed class WatchExpiryTests(ShortHistoryFixture server) : IClassFixture<ShortHistoryFixture>
{
    private const string Path = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task WatchFromAnExpiredResourceVersionEndsWithA410ErrorEvent()
    {
        string? first = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await server.Client.PostAsync(Path, Body("{\"metadata\":{\"name\":\"old-" + i + "\"}}"));
            first ??= (await response.ReadObjectAsync())["metadata"]!["resourceVersion"]!.GetValue<string>();
        }
        using var watch = await server.Client.GetAsync($"{Path}?watch=true&resourceVersion={first}&timeoutSeconds=5", HttpCompletionOption.ResponseHeadersRead);
        watch.StatusCode.Should().Be(HttpStatusCode.OK);
        var line = await new StreamReader(await watch.Content.ReadAsStreamAsync()).ReadLineAsync();
        var error = (JsonObject)JsonNode.Parse(line!)!;
        error["type"]!.GetValue<string>().Should().Be("ERROR");
        error["object"]!["code"]!.GetValue<int>().Should().Be(410);
        error["object"]!["reason"]!.GetValue<string>().Should().Be("Expired");
    }

    [Fact]
    public async Task ContinueTokensOfCompactedRevisionsAreExpired()
    {
        for (var i = 0; i < 3; i++)
        {
            await server.Client.PostAsync(Path, Body("{\"metadata\":{\"name\":\"page-" + i + "\"}}"));
        }
        var page = await (await server.Client.GetAsync($"{Path}?limit=1")).ReadObjectAsync();
        var token = page["metadata"]!["continue"]!.GetValue<string>();
        string? last = null;
        for (var i = 0; i < 30; i++)
        {
            var response = await server.Client.PostAsync(Path, Body("{\"metadata\":{\"name\":\"churn-" + i + "\"}}"));
            last = (await response.ReadObjectAsync())["metadata"]!["resourceVersion"]!.GetValue<string>();
        }
        // Out of the cache's 20 events and compacted in the backend (as etcd does every 5 minutes upstream).
        ((MemoryStorage)server.Services.GetRequiredService<IStorage>()).Compact(long.Parse(last!, System.Globalization.CultureInfo.InvariantCulture));
        var expired = await server.Client.GetAsync($"{Path}?limit=1&continue={token}");
        expired.StatusCode.Should().Be(HttpStatusCode.Gone);
        (await expired.ReadObjectAsync())["reason"]!.GetValue<string>().Should().Be("Expired");
    }
}
