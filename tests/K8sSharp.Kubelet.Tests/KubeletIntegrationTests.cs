using k8s;
using k8s.Models;
using K8sSharp.Kubelet.Hosting;
using K8sSharp.Kubelet.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Kubelet.Tests;

/// <summary>
/// The whole kubelet against our real API server (in-process) and the real dockerd, with a node name of its own.
/// Host-network pods, so the test needs no bridge or pod CIDR.
/// </summary>
public sealed class KubeletIntegrationTests : IAsyncLifetime, IDisposable
{
    private readonly ApiServerHarness server = new();
    private readonly string node = "it-node-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string root = Path.Combine(Path.GetTempPath(), "k8ssharp-kubelet-it-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource stop = new();
    private KubeletService? kubelet;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        Directory.CreateDirectory(root);
        // The harness' kubeconfig names port 0 (the server picks its port); the kubelet needs the real address.
        var kubeconfig = Path.Combine(root, "kubeconfig");
        var text = await File.ReadAllTextAsync(server.KubeconfigPath);
        await File.WriteAllTextAsync(kubeconfig, text.Replace("https://127.0.0.1:0", ((k8s.Kubernetes)server.Client).BaseUri.ToString().TrimEnd('/'), StringComparison.Ordinal));
        var options = new KubeletOptions
        {
            Kubeconfig = kubeconfig,
            NodeName = node,
            Port = 0,
            RootDir = Path.Combine(root, "kubelet"),
            PodLogDir = Path.Combine(root, "log", "pods"),
            CniBridge = "k8ss-it0",
        };
        kubelet = new KubeletService(options, new K8sSharp.Kubelet.Server.NodePods(), TimeProvider.System, NullLoggerFactory.Instance);
        await CreateWhatTheControllerManagerWouldAsync(kubeconfig);
    }

    /// <summary>
    /// The harness runs no controller-manager: create the <c>default</c> ServiceAccount and the <c>kube-root-ca.crt</c>
    /// ConfigMap it would, which the <c>kube-api-access</c> volume of every pod needs before the pod can start.
    /// </summary>
    private async Task CreateWhatTheControllerManagerWouldAsync(string kubeconfig)
    {
        var ca = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig).SslCaCerts.Cast<System.Security.Cryptography.X509Certificates.X509Certificate2>().First();
        await server.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default" } }, "default");
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "kube-root-ca.crt" },
            Data = new Dictionary<string, string> { ["ca.crt"] = ca.ExportCertificatePem() },
        }, "default");
    }

    public async Task DisposeAsync()
    {
        if (kubelet is not null)
        {
            await stop.CancelAsync();
            await kubelet.StopAsync(CancellationToken.None);
        }
        using var docker = DockerRuntime.Connect(DockerFactAttribute.Endpoint, node);
        foreach (var (uid, _, _) in await docker.ListPodsAsync(CancellationToken.None))
        {
            var state = await docker.GetPodAsync(uid, CancellationToken.None);
            foreach (var id in state.Containers.Select(c => c.Id).Concat(state.Sandboxes.Select(s => s.Id)))
            {
                await docker.RemoveContainerAsync(id, CancellationToken.None);
            }
        }
        await server.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    public void Dispose()
    {
        kubelet?.Dispose();
        stop.Dispose();
    }

    private async Task<V1Pod> GetPodAsync(string name) => await server.Client.CoreV1.ReadNamespacedPodAsync(name, "default");

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string because, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
            await Task.Delay(200);
        }
    }

    [DockerFact]
    public async Task Registers_the_node_runs_a_pod_reports_its_status_and_logs_and_removes_it_on_delete()
    {
        await kubelet!.StartAsync(stop.Token);
        await EventuallyAsync(async () => (await server.Client.CoreV1.ListNodeAsync()).Items.Any(n => n.Metadata.Name == node), "the node registered");
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "hello" },
            Spec = new V1PodSpec
            {
                NodeName = node,
                HostNetwork = true,
                TerminationGracePeriodSeconds = 1,
                Containers = [new V1Container { Name = "main", Image = "busybox:1.35", Command = ["sh", "-c", "echo hello from $MY_NODE; sleep 600"],
                    Env = [new V1EnvVar { Name = "MY_NODE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } }] }],
            },
        };
        var created = await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await EventuallyAsync(async () => (await GetPodAsync("hello")).Status?.Phase == "Running", "the pod runs");
        var running = await GetPodAsync("hello");
        running.Status.ContainerStatuses.Single().Ready.Should().BeTrue();
        running.Status.ContainerStatuses.Single().ContainerID.Should().StartWith("docker://");
        running.Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("True");
        running.Status.PodIP.Should().Be(running.Status.HostIP);
        var log = Path.Combine(root, "log", "pods", $"default_hello_{created.Metadata.Uid}", "main", "0.log");
        await EventuallyAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains($"stdout F hello from {node}", StringComparison.Ordinal)), "the log file has the output");

        await server.Client.CoreV1.DeleteNamespacedPodAsync("hello", "default");

        await EventuallyAsync(async () => !(await server.Client.CoreV1.ListNamespacedPodAsync("default")).Items.Any(p => p.Metadata.Name == "hello"), "the kubelet deleted the pod after stopping it");
        using var docker = DockerRuntime.Connect(DockerFactAttribute.Endpoint, node);
        (await docker.GetPodAsync(created.Metadata.Uid, CancellationToken.None)).Containers.Should().BeEmpty();
        File.Exists(log).Should().BeFalse("logs go with the pod");
    }

    [DockerFact]
    public async Task A_crashing_container_is_restarted_then_backs_off()
    {
        await kubelet!.StartAsync(stop.Token);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "crash" },
            Spec = new V1PodSpec
            {
                NodeName = node,
                HostNetwork = true,
                Containers = [new V1Container { Name = "main", Image = "busybox:1.35", Command = ["sh", "-c", "exit 2"] }],
            },
        };
        await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await EventuallyAsync(async () => (await GetPodAsync("crash")).Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CrashLoopBackOff", "the container crash-loops");
        var status = (await GetPodAsync("crash")).Status.ContainerStatuses.Single();
        status.RestartCount.Should().BeGreaterThanOrEqualTo(1);
        status.LastState.Terminated.ExitCode.Should().Be(2);
        status.State.Waiting.Message.Should().StartWith("back-off 10s restarting failed container=main pod=crash_default(");
        var events = await server.Client.CoreV1.ListNamespacedEventAsync("default");
        events.Items.Should().Contain(e => e.Reason == "BackOff" && e.InvolvedObject.Name == "crash" && e.InvolvedObject.FieldPath == "spec.containers{main}");
    }
}
