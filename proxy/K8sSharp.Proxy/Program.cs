using K8sSharp.Proxy.Hosting;
using K8sSharp.Proxy.IpTables;

// k8ssharp-proxy [--kubeconfig .k8ssharp/kubeconfig] [--hostname-override name] [--cluster-cidr 10.244.0.0/16] ...
// (see ProxyOptions); k8ssharp-proxy --cleanup removes our iptables rules and exits.
ProxyOptions options;
try
{
    options = ProxyOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync("k8ssharp-proxy: " + e.Message);
    return 2;
}
if (options.Cleanup)
{
    await RuleCleanup.RunAsync(new IpTablesClient(new CommandRunner()), CancellationToken.None);
    return 0;
}
var app = ProxyHost.Build(options, []);
await app.RunAsync();
return Environment.ExitCode;
