using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>
/// pods/log, pods/exec and nodes/proxy travel through the API server to the kubelet of the pod's node. The kubelet
/// here is a stand-in HTTPS server on loopback that demands a client certificate and says what it was asked.
/// </summary>
public sealed class ConnectProxyTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>, IAsyncLifetime
{
    private readonly string nodeName = "node-" + Guid.NewGuid().ToString("N")[..8];
    private WebApplication? kubelet;
    private int kubeletPort;
    private string? kubeletClientSubject;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = SelfSigned(),
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        kubelet = builder.Build();
        kubelet.UseWebSockets();
        kubelet.Run(ServeAsync);
        await kubelet.StartAsync();
        kubeletPort = new Uri(kubelet.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await CreateAsync("/api/v1/nodes", """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"NODE"},
             "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":PORT}}}}
            """.Replace("PORT", kubeletPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
             .Replace("NODE", nodeName, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (kubelet is not null)
        {
            await kubelet.StopAsync();
            await kubelet.DisposeAsync();
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        kubeletClientSubject = (await context.Connection.GetClientCertificateAsync())?.Subject;
        if (context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync("v5.channel.k8s.io");
            var said = Encoding.UTF8.GetBytes("\u0001" + context.Request.Path + context.Request.QueryString);
            await socket.SendAsync(said, WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }
        await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
    }

    private async Task CreateAsync(string path, string json)
    {
        var response = await server.Client.PostAsync(path, Body(json));
        response.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.Conflict], await response.Content.ReadAsStringAsync());
    }

    private Task CreatePodAsync(string name, string containers, bool scheduled = true) =>
        CreateAsync("/api/v1/namespaces/default/pods", $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{"nodeName":"{{{(scheduled ? nodeName : "")}}}","containers":[{{{containers}}}]}}
            """);

    [Fact]
    public async Task Logs_go_to_the_kubelets_containerLogs_with_the_log_options()
    {
        await CreatePodAsync("logged", """{"name":"app","image":"busybox"}""");

        var response = await server.Client.GetAsync("/api/v1/namespaces/default/pods/logged/log?tailLines=5&follow=true&pretty=true");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("GET /containerLogs/default/logged/app?follow=true&tailLines=5");
        kubeletClientSubject.Should().Contain("CN=kube-apiserver-kubelet-client");
    }

    [Fact]
    public async Task A_pod_with_several_containers_needs_a_container_name()
    {
        await CreatePodAsync("two", """{"name":"a","image":"busybox"},{"name":"b","image":"busybox"}""");

        var ambiguous = await server.Client.GetAsync("/api/v1/namespaces/default/pods/two/log");
        var unknown = await server.Client.GetAsync("/api/v1/namespaces/default/pods/two/log?container=c");
        var named = await server.Client.GetAsync("/api/v1/namespaces/default/pods/two/log?container=b");

        ambiguous.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ambiguous.ReadObjectAsync())["message"]!.GetValue<string>().Should().Be("a container name must be specified for pod two, choose one of: [a b]");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await named.Content.ReadAsStringAsync()).Should().Be("GET /containerLogs/default/two/b");
    }

    [Fact]
    public async Task The_logs_of_an_unscheduled_pod_are_empty_and_exec_into_it_is_refused()
    {
        await CreatePodAsync("pending", """{"name":"app","image":"busybox"}""", scheduled: false);

        var logs = await server.Client.GetAsync("/api/v1/namespaces/default/pods/pending/log");
        var exec = await server.Client.PostAsync("/api/v1/namespaces/default/pods/pending/exec?command=true", null);

        logs.StatusCode.Should().Be(HttpStatusCode.OK);
        (await logs.Content.ReadAsStringAsync()).Should().BeEmpty();
        exec.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Exec_over_a_websocket_is_relayed_both_ways_with_the_kubelets_stream_flags()
    {
        await CreatePodAsync("shell", """{"name":"app","image":"busybox"}""");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v5.channel.k8s.io");
        socket.Options.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(
            Path.Combine(server.DataDirectory, "pki", "admin.crt"), Path.Combine(server.DataDirectory, "pki", "admin.key")));
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(server.DataDirectory, "pki", "ca.crt")));
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate!));
        };
        var uri = new UriBuilder(server.BaseAddress) { Scheme = "wss", Path = "/api/v1/namespaces/default/pods/shell/exec", Query = "command=ls&command=-l&stdout=true&tty=true" }.Uri;

        await socket.ConnectAsync(uri, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        socket.SubProtocol.Should().Be("v5.channel.k8s.io");
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("\u0001/exec/default/shell/app?output=1&tty=1&command=ls&command=-l");
    }

    [Fact]
    public async Task An_unreachable_kubelet_is_a_503_Status()
    {
        await CreatePodAsync("orphan", """{"name":"app","image":"busybox"}""");
        await kubelet!.StopAsync();

        var response = await server.Client.GetAsync("/api/v1/namespaces/default/pods/orphan/log");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.ReadObjectAsync())["message"]!.GetValue<string>().Should().StartWith("error trying to reach service:");
    }

    [Fact]
    public async Task Node_proxy_reaches_the_kubelet_path_and_keeps_the_query()
    {
        var response = await server.Client.GetAsync($"/api/v1/nodes/{nodeName}/proxy/stats/summary?only_cpu_and_memory=true");

        (await response.Content.ReadAsStringAsync()).Should().Be("GET /stats/summary?only_cpu_and_memory=true");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-kubelet", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
