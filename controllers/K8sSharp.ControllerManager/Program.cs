using K8sSharp.ControllerManager.Hosting;

// k8ssharp-controller-manager [--kubeconfig .k8ssharp/kubeconfig] [--port 10257] [--cluster-cidr 10.244.0.0/16]
//   [--node-cidr-mask-size 24] [--node-monitor-grace-period 40s] [--node-startup-grace-period 60s]
ControllerManagerOptions options;
try
{
    options = ControllerManagerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync("k8ssharp-controller-manager: " + e.Message);
    return 2;
}
var app = ControllerManagerHost.Build(options, []);
await app.RunAsync();
return Environment.ExitCode;
