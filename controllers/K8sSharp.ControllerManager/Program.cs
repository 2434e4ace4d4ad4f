using K8sSharp.ControllerManager.Hosting;

// k8ssharp-controller-manager [--kubeconfig .k8ssharp/kubeconfig] [--port 10257]
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
