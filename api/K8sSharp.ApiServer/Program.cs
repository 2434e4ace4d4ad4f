using K8sSharp.ApiServer.Hosting;

var options = ServerOptions.Parse(args);
await using var app = ApiServerHost.Build(options);
// Kestrel starts while the server initializes (/readyz and every API request wait for it: StartupGate).
await app.StartAsync();
await ApiServerHost.InitializeAsync(app, options.AdvertiseAddress, options.SecurePort, CancellationToken.None);
await app.WaitForShutdownAsync();
