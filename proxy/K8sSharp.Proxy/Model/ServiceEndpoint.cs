namespace K8sSharp.Proxy.Model;

/// <summary>
/// One backend of a service port, from an EndpointSlice. The conditions follow the EndpointSlice API: an unset
/// <c>ready</c> means ready, an unset <c>serving</c> means the value of ready, an unset <c>terminating</c> means false.
/// </summary>
internal sealed record ServiceEndpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, string? NodeName, string? Hostname = null)
{
    /// <summary>The DNAT target, <c>ip:port</c> (IPv4 only).</summary>
    public override string ToString() => $"{Ip}:{Port}";
}
