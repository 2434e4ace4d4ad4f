using K8sSharp.Kubelet.Hosting;

// k8ssharp-kubelet [--kubeconfig .k8ssharp/kubeconfig] [--node-name <hostname>] [--port 10250] [--root-dir .k8ssharp/kubelet] ...
KubeletOptions options;
try
{
    options = KubeletOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync("k8ssharp-kubelet: " + e.Message);
    return 2;
}
if (!Environment.IsPrivilegedProcess)
{
    await Console.Error.WriteLineAsync("k8ssharp-kubelet: must run as root (it runs CNI plugins, iptables and bind-mounts host paths)");
    return 2;
}
var app = KubeletHost.Build(options, []);
await app.RunAsync();
return Environment.ExitCode;
