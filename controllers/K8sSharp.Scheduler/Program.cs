using K8sSharp.Scheduler.Hosting;

// k8ssharp-scheduler [--kubeconfig .k8ssharp/kubeconfig] [--port 10259]
SchedulerOptions options;
try
{
    options = SchedulerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync("k8ssharp-scheduler: " + e.Message);
    return 2;
}
var app = SchedulerHost.Build(options, []);
await app.RunAsync();
return Environment.ExitCode;
