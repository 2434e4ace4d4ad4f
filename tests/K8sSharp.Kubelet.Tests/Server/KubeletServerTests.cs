using System.Net;
using System.Net.WebSockets;
using System.Text;
using k8s.Models;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Server;
using K8sSharp.Kubelet.Volumes;
using K8sSharp.Streaming;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>
/// The kubelet's server against the real dockerd: a hostNetwork busybox pod (sandbox + container, as the kubelet
/// runs it) serving a page with httpd; requests arrive as the API server sends them, over HTTPS with its client
/// certificate.
/// </summary>
public sealed class KubeletServerTests : IAsyncLifetime
{
    private readonly string node = "test-node-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string dir = Directory.CreateTempSubdirectory("k8ssharp-server-").FullName;
    private readonly int httpPort = Random.Shared.Next(20000, 30000);
    private readonly List<V1Pod> pods = [];
    private DockerRuntime runtime = null!;
    private PodPaths paths = null!;
    private ServerHarness server = null!;
    private V1Pod pod = null!;

    public async Task InitializeAsync()
    {
        runtime = DockerRuntime.Connect(DockerFactAttribute.Endpoint, node);
        paths = new PodPaths(Path.Combine(dir, "root"), Path.Combine(dir, "pods"));
        server = await ServerHarness.StartAsync(new ListPods(pods), runtime, paths);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        foreach (var (uid, _, _) in await runtime.ListPodsAsync(CancellationToken.None))
        {
            var state = await runtime.GetPodAsync(uid, CancellationToken.None);
            foreach (var id in state.Containers.Select(c => c.Id).Concat(state.Sandboxes.Select(s => s.Id)))
            {
                await runtime.RemoveContainerAsync(id, CancellationToken.None);
            }
        }
        runtime.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Runs pod team/web: container "main" serves "hello from web" on httpPort; "side" is in the spec only.</summary>
    private async Task RunPodAsync()
    {
        var main = new V1Container
        {
            Name = "main",
            Image = "busybox:1.35",
            Command = ["sh", "-c", $"mkdir -p /www && echo hello from web > /www/index.html && httpd -p {httpPort} -h /www && exec sleep 3600"],
        };
        pod = TestPods.Pod("web", "team", main, new V1Container { Name = "side", Image = "busybox:1.35" });
        pod.Metadata.Uid = Guid.NewGuid().ToString();
        pod.Spec.HostNetwork = true;
        var sandbox = await runtime.CreateContainerAsync(ContainerConfigBuilder.Sandbox(pod, node, 0, "cluster.local"), CancellationToken.None);
        await runtime.StartContainerAsync(sandbox, CancellationToken.None);
        Directory.CreateDirectory(paths.PodDir(pod.Metadata.Uid));
        await File.WriteAllTextAsync(paths.ResolvConf(pod.Metadata.Uid), "nameserver 10.96.0.10\n");
        var termination = paths.TerminationMessageFile(pod.Metadata.Uid, "main", 0);
        Directory.CreateDirectory(Path.GetDirectoryName(termination)!);
        await File.WriteAllTextAsync(termination, "");
        var id = await runtime.CreateContainerAsync(ContainerConfigBuilder.Container(new ContainerContext
        {
            Pod = pod,
            Container = main,
            NodeName = node,
            SandboxId = sandbox,
            RestartCount = 0,
            Env = [],
            Volumes = new Dictionary<string, MountSource>(),
            Paths = paths,
        }), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        pods.Add(pod);
    }

    [DockerFact]
    public async Task Only_clients_with_a_certificate_from_the_cluster_ca_are_served()
    {
        using var anonymous = server.HttpClient(null);
        using var otherCa = TestCertificates.Ca("someone-else");
        using var strangerCertificate = TestCertificates.Client(otherCa);
        using var stranger = server.HttpClient(strangerCertificate);
        using var apiServer = server.HttpClient(server.Client);
        using var plain = new HttpClient();

        (await anonymous.GetAsync(new Uri(server.Https, "/pods"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await stranger.GetAsync(new Uri(server.Https, "/healthz"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await apiServer.GetStringAsync(new Uri(server.Https, "/healthz"))).Should().Be("ok");
        (await plain.GetStringAsync(new Uri(server.Healthz, "/healthz"))).Should().Be("ok");
        (await plain.GetAsync(new Uri(server.Healthz, "/pods"))).StatusCode.Should().Be(HttpStatusCode.NotFound, "the healthz listener serves nothing else");
    }

    [DockerFact]
    public async Task Callers_are_authorized_on_the_node_s_subresource_and_bearer_tokens_authenticate_through_the_api_server()
    {
        using var viewerCertificate = TestCertificates.Client(server.Ca, "CN=viewer, O=devs");
        using var viewer = server.HttpClient(viewerCertificate);
        server.Auth.Allow("viewer", "get", "metrics");
        server.Auth.AddToken("scraper-token", new("system:serviceaccount:monitoring:prometheus", ["system:serviceaccounts"]));
        server.Auth.Allow("system:serviceaccount:monitoring:prometheus", "get", "stats");
        using var scraper = server.HttpClient(null);
        scraper.DefaultRequestHeaders.Authorization = new("Bearer", "scraper-token");
        using var badToken = server.HttpClient(null);
        badToken.DefaultRequestHeaders.Authorization = new("Bearer", "forged");

        (await viewer.GetAsync(new Uri(server.Https, "/metrics"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var denied = await viewer.GetAsync(new Uri(server.Https, "/pods"));
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await denied.Content.ReadAsStringAsync()).Should().Contain("Forbidden (user=viewer, verb=get, resource=nodes, subresource=proxy)");
        (await scraper.GetAsync(new Uri(server.Https, "/stats/summary"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await scraper.GetAsync(new Uri(server.Https, "/metrics"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await badToken.GetAsync(new Uri(server.Https, "/stats/summary"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        server.Auth.Asked.Should().Contain([("viewer", "get", "pods"), ("viewer", "get", "proxy")],
            "/pods asks for nodes/pods first and falls back to nodes/proxy (fine-grained kubelet authorization)");
    }

    [DockerFact]
    public async Task Pods_lists_the_node_s_pods_and_container_logs_reads_their_cri_files()
    {
        await RunPodAsync();
        var log = paths.ContainerLogFile("team", "web", pod.Metadata.Uid, "main", 0);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "2024-01-01T00:00:01Z stdout F first\n2024-01-01T00:00:02Z stderr F second\n");
        using var client = server.HttpClient(server.Client);

        (await client.GetStringAsync(new Uri(server.Https, "/pods"))).Should().Contain("\"kind\":\"PodList\"").And.Contain(pod.Metadata.Uid);
        (await client.GetStringAsync(new Uri(server.Https, "/containerLogs/team/web/main"))).Should().Be("first\nsecond\n");
        (await client.GetStringAsync(new Uri(server.Https, "/containerLogs/team/web/main?tailLines=1&timestamps=true"))).Should().Be("2024-01-01T00:00:02Z second\n");
        var waiting = await client.GetAsync(new Uri(server.Https, "/containerLogs/team/web/side"));
        waiting.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await waiting.Content.ReadAsStringAsync()).Should().Contain("container \\u0022side\\u0022 in pod \\u0022web\\u0022 is waiting to start: ContainerCreating");
        var previous = await client.GetAsync(new Uri(server.Https, "/containerLogs/team/web/main?previous=true"));
        (await previous.Content.ReadAsStringAsync()).Should().Contain("previous terminated container");
    }

    [DockerFact]
    public async Task Stats_and_metrics_report_the_running_pod()
    {
        await RunPodAsync();
        using var client = server.HttpClient(server.Client);

        var summary = await client.GetStringAsync(new Uri(server.Https, "/stats/summary"));
        var resource = await client.GetStringAsync(new Uri(server.Https, "/metrics/resource"));
        var metrics = await client.GetStringAsync(new Uri(server.Https, "/metrics"));

        summary.Should().Contain("\"nodeName\":\"test-node\"").And.Contain($"\"uid\":\"{pod.Metadata.Uid}\"").And.Contain("\"name\":\"main\"").And.Contain("\"workingSetBytes\":");
        summary.Should().MatchRegex("\"startTime\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\"", "times are written as metav1.Time");
        resource.Should().MatchRegex("container_memory_working_set_bytes\\{container=\"main\",namespace=\"team\",pod=\"web\"\\} [1-9][0-9]* ");
        metrics.Should().Contain("kubelet_running_pods 1").And.Contain("kubelet_running_containers{container_state=\"running\"} 1").And.Contain("kubelet_node_name{node=\"test-node\"} 1");
    }

    [DockerFact]
    public async Task Exec_over_websocket_returns_stdout_stderr_and_the_exit_code()
    {
        await RunPodAsync();

        var result = await ExecAsync("command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&output=1&error=1", null);

        result.Stdout.Should().Be("out\n");
        result.Stderr.Should().Be("err\n");
        result.Status.Should().Contain("\"reason\":\"NonZeroExitCode\"").And.Contain("\"message\":\"3\"");
    }

    [DockerFact]
    public async Task Exec_passes_stdin_until_the_client_closes_it()
    {
        await RunPodAsync();

        var result = await ExecAsync("command=cat&input=1&output=1&error=1", "hello stdin\n"u8.ToArray());

        result.Stdout.Should().Be("hello stdin\n");
        result.Status.Should().Contain("\"status\":\"Success\"");
    }

    [DockerFact]
    public async Task Exec_with_a_tty_gives_the_process_a_terminal()
    {
        await RunPodAsync();

        var result = await ExecAsync("command=tty&output=1&tty=1", null);

        result.Stdout.Should().StartWith("/dev/pts/");
        result.Status.Should().Contain("\"status\":\"Success\"");
    }

    [DockerFact]
    public async Task A_resize_sent_before_the_process_starts_still_reaches_its_terminal()
    {
        await RunPodAsync();

        // kubectl sends the first size at once; docker can only apply it once the process runs (the kubelet retries).
        var script = Uri.EscapeDataString("until [ \"$(stty size 2>/dev/null)\" = \"45 123\" ]; do sleep 0.1; done; stty size");
        var result = await ExecAsync($"command=sh&command=-c&command={script}&output=1&tty=1", null, """{"Width":123,"Height":45}""");

        result.Stdout.Should().Contain("45 123");
    }

    [DockerFact]
    public async Task A_command_that_does_not_exist_fails_with_docker_s_exit_code()
    {
        await RunPodAsync();

        var result = await ExecAsync("command=no-such-command&output=1&error=1", null);

        result.Status.Should().Contain("\"status\":\"Failure\"").And.MatchRegex("\"message\":\"12[67]\"");
    }

    [DockerFact]
    public async Task Port_forward_through_the_websocket_tunnel_reaches_the_pod_s_port()
    {
        await RunPodAsync();
        using var socket = await server.ConnectRawAsync("/portForward/team/web", "SPDY/3.1+portforward.k8s.io");
        await using var tunnel = new WebSocketTunnelStream(socket);
        using var compressor = new HeaderCompressor();
        var headers = (string type) => new Dictionary<string, string> { ["streamType"] = type, ["port"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["requestID"] = "0" };

        await SendSynStreamAsync(tunnel, compressor, 1, headers("error"));
        await SendSynStreamAsync(tunnel, compressor, 3, headers("data"));
        await tunnel.WriteAsync(SpdyFrame.Data(3, SpdyFrame.FlagFin, "GET / HTTP/1.0\r\n\r\n"u8.ToArray()).Encode());
        var page = await ReadStreamAsync(tunnel, 3).WaitAsync(TimeSpan.FromSeconds(20));

        page.Should().StartWith("HTTP/1.").And.EndWith("hello from web\n");
    }

    private static async Task SendSynStreamAsync(Stream transport, HeaderCompressor compressor, int id, Dictionary<string, string> headers)
    {
        var block = compressor.Compress(headers);
        var payload = new byte[10 + block.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(payload, id);
        block.CopyTo(payload, 10);
        await transport.WriteAsync(SpdyFrame.Control(SpdyControlType.SynStream, 0, payload).Encode());
    }

    private static async Task<string> ReadStreamAsync(Stream transport, int id)
    {
        using var data = new MemoryStream();
        while (await SpdyFrame.ReadAsync(transport, CancellationToken.None) is { } frame)
        {
            if (!frame.IsControl && frame.StreamId == id)
            {
                data.Write(frame.Payload);
                if (frame.Fin)
                {
                    break;
                }
            }
        }
        return Encoding.ASCII.GetString(data.ToArray());
    }

    /// <summary>One exec over the v5 channel protocol, as kubectl speaks it; returns what each channel carried.</summary>
    private async Task<(string Stdout, string Stderr, string Status)> ExecAsync(string query, byte[]? stdin, string? resize = null)
    {
        using var socket = await server.ConnectAsync($"/exec/team/web/main?{query}", "v5.channel.k8s.io");
        socket.SubProtocol.Should().Be("v5.channel.k8s.io");
        if (resize is not null)
        {
            await socket.SendAsync((byte[])[4, .. Encoding.UTF8.GetBytes(resize)], WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        if (stdin is not null)
        {
            await socket.SendAsync((byte[])[0, .. stdin], WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.SendAsync((byte[])[255, 0], WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        var channels = new Dictionary<byte, MemoryStream> { [1] = new(), [2] = new(), [3] = new() };
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var bytes = message.ToArray();
                message.SetLength(0);
                if (bytes.Length > 0 && channels.TryGetValue(bytes[0], out var channel))
                {
                    channel.Write(bytes, 1, bytes.Length - 1);
                }
            }
        }
        string Text(byte c) => Encoding.UTF8.GetString(channels[c].ToArray());
        return (Text(1), Text(2), Text(3));
    }

    private sealed class ListPods(List<V1Pod> pods) : INodePods
    {
        public V1Pod? Get(string ns, string name) => pods.FirstOrDefault(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Name == name);

        public IReadOnlyList<V1Pod> List() => pods;
    }
}
