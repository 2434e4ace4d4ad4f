using K8sSharp.Scheduler.Hosting;

namespace K8sSharp.Scheduler.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_upstreams()
    {
        SchedulerOptions.Parse([]).Should().Be(new SchedulerOptions(".k8ssharp/kubeconfig", 10259, "kube-scheduler", "default-scheduler"));
    }

    [Fact]
    public void Flags_take_separate_or_inline_values()
    {
        SchedulerOptions.Parse(["--kubeconfig", "k", "--port=1", "--leader-elect-resource-name", "l", "--scheduler-name=s"])
            .Should().Be(new SchedulerOptions("k", 1, "l", "s"));
    }

    [Fact]
    public void Unknown_flags_are_rejected()
    {
        var parse = () => SchedulerOptions.Parse(["--nope"]);
        parse.Should().Throw<ArgumentException>().WithMessage("unknown option --nope*");
    }
}
