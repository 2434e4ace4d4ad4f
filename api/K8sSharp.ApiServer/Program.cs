using K8sSharp.ApiServer.Hosting;

var options = ServerOptions.Parse(args);
await using var app = ApiServerHost.Build(options);
await ApiServerHost.InitializeAsync(app, options.AdvertiseAddress, options.SecurePort, CancellationToken.None);
await app.RunAsync();
