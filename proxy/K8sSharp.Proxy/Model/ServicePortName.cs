namespace K8sSharp.Proxy.Model;

/// <summary>
/// One port of one Service (upstream's proxy.ServicePortName): <c>ns/name:port</c>, or <c>ns/name</c> when the port is
/// unnamed. Its string form plus the lower-case protocol is what chain names are hashed from, so it must match upstream
/// byte for byte.
/// </summary>
internal sealed record ServicePortName(string Namespace, string Name, string Port, string Protocol)
{
    /// <summary>The service's namespace/name, without the port.</summary>
    public string ServiceKey => $"{Namespace}/{Name}";

    public override string ToString() => Port.Length == 0 ? ServiceKey : $"{ServiceKey}:{Port}";
}
