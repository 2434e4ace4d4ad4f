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
    public void Controller_options_default_to_the_cluster_layout_and_upstream_periods()
    {
        var defaults = ControllerManagerOptions.Parse([]);

        (defaults.ClusterCidr, defaults.NodeCidrMaskSize, defaults.NodeMonitorGracePeriod, defaults.NodeStartupGracePeriod)
            .Should().Be(("10.244.0.0/16", 24, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void Controller_options_parse_upstream_flag_names_and_go_durations()
    {
        var options = ControllerManagerOptions.Parse(
            ["--cluster-cidr=10.200.0.0/16", "--node-cidr-mask-size", "26", "--node-monitor-grace-period=1m30s", "--node-startup-grace-period", "500ms"]);

        (options.ClusterCidr, options.NodeCidrMaskSize, options.NodeMonitorGracePeriod, options.NodeStartupGracePeriod)
            .Should().Be(("10.200.0.0/16", 26, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500)));
    }

    [Theory]
    [InlineData("40")]
    [InlineData("1x")]
    [InlineData("s")]
    public void Malformed_durations_are_rejected(string value)
    {
        FluentActions.Invoking(() => ControllerManagerOptions.Parse(["--node-monitor-grace-period", value])).Should().Throw<FormatException>();
    }

    [Fact]
    public void Unknown_options_are_rejected()
    {
        FluentActions.Invoking(() => ControllerManagerOptions.Parse(["--bogus"])).Should().Throw<ArgumentException>();
    }
}
