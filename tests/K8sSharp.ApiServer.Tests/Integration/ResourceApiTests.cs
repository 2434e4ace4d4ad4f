using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>The resource handlers end to end over HTTPS, against the in-memory backend.</summary>
public sealed class ResourceApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Client => server.Client;

    private static string ConfigMap(string name, string extra = "") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + name + "\"}}" + extra + ",\"data\":{\"a\":\"b\"}}";

    private async Task<JsonObject> CreateAsync(string name)
    {
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps", Body(ConfigMap(name)));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task CreateFillsMetadataAndGetReturnsTheSameObject()
    {
        var created = await CreateAsync("meta");
        created["metadata"]!["uid"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        created["metadata"]!["creationTimestamp"]!.GetValue<string>().Should().EndWith("Z");
        var fetched = await (await Client.GetAsync("/api/v1/namespaces/default/configmaps/meta")).ReadObjectAsync();
        fetched["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(created["metadata"]!["resourceVersion"]!.GetValue<string>());
        fetched["data"]!["a"]!.GetValue<string>().Should().Be("b");
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/configmaps", "dup", HttpStatusCode.Conflict, "AlreadyExists")]
    [InlineData("/api/v1/namespaces/missing/configmaps", "x", HttpStatusCode.NotFound, "NotFound")]
    [InlineData("/api/v1/namespaces/default/configmaps", "Bad_Name", (HttpStatusCode)422, "Invalid")]
    public async Task CreateErrorsAreStatusObjects(string path, string name, HttpStatusCode code, string reason)
    {
        if (name == "dup")
        {
            await CreateAsync("dup");
        }
        var response = await Client.PostAsync(path, Body(ConfigMap(name)));
        response.StatusCode.Should().Be(code);
        var status = await response.ReadObjectAsync();
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["reason"]!.GetValue<string>().Should().Be(reason);
        status["code"]!.GetValue<int>().Should().Be((int)code);
    }

    [Theory]
    [InlineData("Strict", HttpStatusCode.BadRequest)]
    [InlineData("Warn", HttpStatusCode.Created)]
    [InlineData("Ignore", HttpStatusCode.Created)]
    public async Task UnknownFieldsFollowFieldValidation(string mode, HttpStatusCode expected)
    {
        var name = "unknown-" + mode.ToLowerInvariant();
        var response = await Client.PostAsync($"/api/v1/namespaces/default/configmaps?fieldValidation={mode}", Body(ConfigMap(name, ",\"bogus\":1")));
        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            (await response.Content.ReadAsStringAsync()).Should().Contain("unknown field \\\"bogus\\\"");
            return;
        }
        (await response.ReadObjectAsync()).ContainsKey("bogus").Should().BeFalse("unknown fields are dropped");
        response.Headers.Contains("Warning").Should().Be(mode == "Warn");
    }

    [Fact]
    public async Task DuplicateFieldsAreRejectedWhenStrict()
    {
        var json = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"twice","name":"twice"}}""";
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", Body(json));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("duplicate field \\\"metadata.name\\\"");
    }

    [Fact]
    public async Task UpdateWithStaleResourceVersionConflictsAndWithoutOneSucceeds()
    {
        var created = await CreateAsync("upd");
        var rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();
        var first = await Client.PutAsync("/api/v1/namespaces/default/configmaps/upd", Body(ConfigMap("upd", $",\"immutable\":false").Replace("\"labels\"", $"\"resourceVersion\":\"{rv}\",\"labels\"")));
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        var stale = await Client.PutAsync("/api/v1/namespaces/default/configmaps/upd", Body(ConfigMap("upd").Replace("\"labels\"", $"\"resourceVersion\":\"{rv}\",\"labels\"")));
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await stale.ReadObjectAsync())["reason"]!.GetValue<string>().Should().Be("Conflict");
        var unconditional = await Client.PutAsync("/api/v1/namespaces/default/configmaps/upd", Body(ConfigMap("upd").Replace("\"a\":\"b\"", "\"a\":\"c\"")));
        unconditional.StatusCode.Should().Be(HttpStatusCode.OK);
        (await unconditional.ReadObjectAsync())["data"]!["a"]!.GetValue<string>().Should().Be("c");
    }

    [Fact]
    public async Task AnUpdateThatChangesNothingKeepsTheResourceVersion()
    {
        var rv = (await CreateAsync("noop"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var reordered = "{\"data\":{\"a\":\"b\"},\"metadata\":{\"labels\":{\"app\":\"noop\"},\"name\":\"noop\"},\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}";
        var response = await Client.PutAsync("/api/v1/namespaces/default/configmaps/noop", Body(reordered));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadObjectAsync())["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(rv);
    }

    [Fact]
    public async Task ConcurrentUpdatesAtTheSameResourceVersionHaveExactlyOneWinner()
    {
        var rv = (await CreateAsync("race"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var writes = Enumerable.Range(0, 8).Select(i => Client.PutAsync("/api/v1/namespaces/default/configmaps/race",
            Body(ConfigMap("race").Replace("\"a\":\"b\"", $"\"a\":\"{i}\"").Replace("\"labels\"", $"\"resourceVersion\":\"{rv}\",\"labels\""))));
        var results = await Task.WhenAll(writes);
        results.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        results.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(7);
    }

    [Fact]
    public async Task ListsSelectByLabelAndPageWithContinue()
    {
        await Client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"paging"}}"""));
        foreach (var i in Enumerable.Range(0, 5))
        {
            await Client.PostAsync("/api/v1/namespaces/paging/configmaps", Body(ConfigMap($"item-{i}").Replace("\"app\":\"item-" + i + "\"", i % 2 == 0 ? "\"app\":\"even\"" : "\"app\":\"odd\"")));
        }
        var even = await (await Client.GetAsync("/api/v1/namespaces/paging/configmaps?labelSelector=app%3Deven")).ReadObjectAsync();
        even["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Should().Equal("item-0", "item-2", "item-4");

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await (await Client.GetAsync("/api/v1/namespaces/paging/configmaps?limit=2" + (token is null ? string.Empty : "&continue=" + token))).ReadObjectAsync();
            names.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            token = (string?)page["metadata"]!["continue"];
        }
        while (token is not null);
        names.Should().Equal("item-0", "item-1", "item-2", "item-3", "item-4");
    }

    [Fact]
    public async Task AJsonListIsByteForByteTheItemsAsServedOneByOne()
    {
        await Client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"listbytes"}}"""));
        await Client.PostAsync("/api/v1/namespaces/listbytes/configmaps", Body(ConfigMap("plain")));
        await Client.PostAsync("/api/v1/namespaces/listbytes/configmaps", Body(ConfigMap("escaped", ",\"binaryData\":{}").Replace("\"a\":\"b\"", "\"a\":\"<grüße> \\\"q\\\" +&\"")));

        var list = await (await Client.GetAsync("/api/v1/namespaces/listbytes/configmaps")).Content.ReadAsStringAsync();

        var items = new List<string>();
        foreach (var name in new[] { "escaped", "plain" })
        {
            items.Add(await (await Client.GetAsync("/api/v1/namespaces/listbytes/configmaps/" + name)).Content.ReadAsStringAsync());
        }
        var revision = (string)JsonNode.Parse(list)!["metadata"]!["resourceVersion"]!;
        list.Should().Be("{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + revision + "\"},\"items\":[" + string.Join(",", items) + "]}");
    }

    [Fact]
    public async Task UnauthenticatedRequestsCanReadVersionButNothingElse()
    {
        using var anonymous = server.CreateClient(withCertificate: false);
        (await anonymous.GetAsync("/version")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/v1/namespaces")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/v1/namespaces/default/configmaps", Body(ConfigMap("anon")))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Client.GetAsync("/api/v1/namespaces/default/configmaps/anon")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ACertificateTheClusterCaDidNotIssueIsRefusedAtTheHandshake()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=kubernetes-admin, O=system:masters", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var forged = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        handler.ClientCertificates.Add(forged);
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        var act = () => client.GetAsync("/api/v1/namespaces");
        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Theory]
    [InlineData("{not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("kind: [", "application/yaml", HttpStatusCode.BadRequest)]
    [InlineData("k8s\u0000garbage", "application/vnd.kubernetes.protobuf", HttpStatusCode.BadRequest)]
    [InlineData("{}", "application/cbor", HttpStatusCode.UnsupportedMediaType)]
    public async Task MalformedBodiesAreRejectedWithStatus(string body, string mediaType, HttpStatusCode expected)
    {
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps", Body(body, mediaType));
        response.StatusCode.Should().Be(expected);
        (await response.ReadObjectAsync())["kind"]!.GetValue<string>().Should().Be("Status");
    }

    [Fact]
    public async Task BodiesOverThreeMebibytesAreRefusedWith413()
    {
        var big = ConfigMap("big").Replace("\"a\":\"b\"", $"\"a\":\"{new string('x', (3 * 1024 * 1024) + 10)}\"");
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps", Body(big));
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task YamlBodiesAreAccepted()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  port: \"8080\"\n";
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps", Body(yaml, "application/yaml"));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.ReadObjectAsync())["data"]!["port"]!.GetValue<string>().Should().Be("8080");
    }

    [Fact]
    public async Task DryRunCreatesNothing()
    {
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", Body(ConfigMap("dry")));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.GetAsync("/api/v1/namespaces/default/configmaps/dry")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
