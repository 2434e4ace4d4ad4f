using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData(new string[0], ".k8ssharp/kubeconfig", 10257)]
    [InlineData(new[] { "--kubeconfig", "/x/kc", "--port", "1234" }, "/x/kc", 1234)]
    [InlineData(new[] { "--kubeconfig=/y", "--port=99" }, "/y", 99)]
    public void Options_parse_with_upstream_defaults(string[] args, string kubeconfig, int port)
    {
        ControllerManagerOptions.Parse(args).Should().Be(new ControllerManagerOptions(kubeconfig, port));
    }

    [Fact]
    public void Unknown_options_are_rejected()
    {
        FluentActions.Invoking(() => ControllerManagerOptions.Parse(["--bogus"])).Should().Throw<ArgumentException>();
    }
}
