using System.Net;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using k8s;
using K8sSharp.Client;
using K8sSharp.Kubelet.Hosting;
using K8sSharp.Kubelet.Nodes;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// The server as the kubelet process runs it: clients authenticated against the CA of the kubelet's kubeconfig (or by
/// bearer token) and authorized by the API server (<see cref="WebhookAuth"/>), the
/// self-signed serving certificate under the root dir, its own docker client (same node label as the pod workers'),
/// and <see cref="NodePods"/>, which <see cref="KubeletService"/> attaches to its pod informer.
/// </summary>
internal static class KubeletServerSetup
{
    public static void Configure(WebApplicationBuilder builder, KubeletOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var time = TimeProvider.System;
        var addresses = new[] { MachineInfo.PrimaryIPv4() ?? "127.0.0.1" };
        var clientConfig = K8sSharp.Client.Configuration.Kubeconfig.Load(options.Kubeconfig);
        var settings = new ServerSettings(
            options.NodeName,
            IPAddress.Any,
            options.Port,
            options.HealthzPort,
            ServingCertificate.LoadOrCreate(options.RootDir, options.NodeName, addresses, time),
            new ClientCertificateAuthenticator(clientConfig.SslCaCerts ?? [], time),
            new WebhookAuth(ComponentClient.Create(clientConfig, "kubelet"), options.NodeName, time));
        var runtime = DockerRuntime.Connect(options.DockerEndpoint, options.NodeName);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<IContainerRuntime>(runtime);
        builder.Services.AddSingleton(runtime.Client);
        builder.Services.AddSingleton(new PodPaths(options.RootDir, options.PodLogDir));
        builder.Services.AddSingleton<NodePods>();
        builder.Services.AddSingleton<INodePods>(services => services.GetRequiredService<NodePods>());
        KubeletServer.AddServer(builder, settings);
    }
}
