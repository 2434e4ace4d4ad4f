using K8sSharp.ApiServer.Hosting;
using Microsoft.AspNetCore.Http;

namespace K8sSharp.ApiServer.Tests.Hosting;

/// <summary>The gate that lets Kestrel start while the server initializes: probes pass at once, API requests wait.</summary>
public sealed class StartupGateTests
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_probes_are_answered_before_the_gate_opens(string path)
    {
        var gate = new StartupGate();
        var served = false;

        await gate.HoldUntilOpenAsync(Request(path), _ => { served = true; return Task.CompletedTask; });

        served.Should().BeTrue();
        gate.IsOpen.Should().BeFalse();
    }

    [Fact]
    public async Task An_api_request_waits_until_the_gate_opens()
    {
        var gate = new StartupGate();
        var served = false;

        var request = gate.HoldUntilOpenAsync(Request("/api/v1/namespaces"), _ => { served = true; return Task.CompletedTask; });
        await Task.Yield();
        served.Should().BeFalse("initialization has not finished");
        request.IsCompleted.Should().BeFalse();

        gate.Open();
        await request;
        served.Should().BeTrue();
    }

    [Fact]
    public async Task A_waiting_request_fails_when_initialization_fails()
    {
        var gate = new StartupGate();
        var request = gate.HoldUntilOpenAsync(Request("/apis"), _ => Task.CompletedTask);

        gate.Fail(new InvalidOperationException("etcd is gone"));

        await request.Invoking(r => r).Should().ThrowAsync<InvalidOperationException>().WithMessage("etcd is gone");
        gate.IsOpen.Should().BeFalse();
    }

    private static DefaultHttpContext Request(string path) => new() { Request = { Path = path } };
}
