using k8s.Models;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Status;

namespace K8sSharp.Kubelet.Tests;

public sealed class PodStatusBuilderTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, 500, DateTimeKind.Utc);
    private static readonly PodSandbox Sandbox = new("sb", "uid-web", 0, true, 42, Now);

    private static RuntimeContainer Container(string name, ContainerRunState state, int restart = 0, long exit = 0, string id = "") => new()
    {
        Id = id.Length > 0 ? id : $"{name}-{restart}",
        Name = name,
        PodUid = "uid-web",
        SandboxId = "sb",
        RestartCount = restart,
        State = state,
        ExitCode = exit,
        CreatedAt = Now.AddSeconds(-30 + restart),
        StartedAt = Now.AddSeconds(-20 + restart),
        FinishedAt = state == ContainerRunState.Exited ? Now.AddSeconds(-10 + restart) : null,
        ImageId = "sha256:abc",
    };

    private static V1PodStatus Build(V1Pod pod, IReadOnlyList<RuntimeContainer> containers, Dictionary<string, WaitingReason>? waiting = null, Func<string, bool>? ready = null) =>
        PodStatusBuilder.Build(new PodStatusInput
        {
            Pod = pod,
            Runtime = new PodRuntimeState("uid-web", [Sandbox], containers),
            HostIp = "192.0.2.2",
            PodIp = "10.244.0.5",
            Now = Now,
            Waiting = waiting ?? [],
            IsReady = ready ?? (_ => true),
        });

    private static string? Condition(V1PodStatus status, string type) => status.Conditions.Single(c => c.Type == type).Status;

    [Fact]
    public void A_pod_without_containers_yet_is_Pending_ContainerCreating()
    {
        var status = Build(TestPods.Pod(), []);

        status.Phase.Should().Be("Pending");
        status.ContainerStatuses.Single().State.Waiting.Reason.Should().Be("ContainerCreating");
        status.PodIP.Should().Be("10.244.0.5");
        status.PodIPs.Single().Ip.Should().Be("10.244.0.5");
        status.HostIP.Should().Be("192.0.2.2");
        status.StartTime.Should().Be(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc), "metav1.Time has whole seconds");
        Condition(status, "PodScheduled").Should().Be("True");
        Condition(status, "PodReadyToStartContainers").Should().Be("True");
        Condition(status, "Ready").Should().Be("False");
    }

    [Fact]
    public void A_running_ready_container_makes_the_pod_Running_and_Ready()
    {
        var status = Build(TestPods.Pod(), [Container("c", ContainerRunState.Running, id: "abc123")]);

        status.Phase.Should().Be("Running");
        var c = status.ContainerStatuses.Single();
        c.Ready.Should().BeTrue();
        c.Started.Should().BeTrue();
        c.ContainerID.Should().Be("docker://abc123");
        c.ImageID.Should().Be("docker://sha256:abc");
        c.State.Running.StartedAt.Should().Be(Now.AddSeconds(-20).AddMilliseconds(-500));
        Condition(status, "ContainersReady").Should().Be("True");
        Condition(status, "Ready").Should().Be("True");
        status.Conditions.Single(c => c.Type == "Ready").LastTransitionTime.Should().Be(Now.AddMilliseconds(-500));
    }

    [Fact]
    public void An_unready_container_keeps_Ready_false_with_upstreams_reason_and_message()
    {
        var status = Build(TestPods.Pod(), [Container("c", ContainerRunState.Running)], ready: _ => false);

        status.Phase.Should().Be("Running");
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        (ready.Status, ready.Reason, ready.Message).Should().Be(("False", "ContainersNotReady", "containers with unready status: [c]"));
    }

    [Fact]
    public void CrashLoopBackOff_waits_with_the_last_termination_and_the_pod_stays_Running()
    {
        var waiting = new Dictionary<string, WaitingReason> { ["c"] = new("CrashLoopBackOff", "back-off 20s restarting failed container=c pod=web_team(uid-web)") };

        var status = Build(TestPods.Pod(), [Container("c", ContainerRunState.Exited, restart: 2, exit: 3), Container("c", ContainerRunState.Exited, restart: 1, exit: 3)], waiting);

        status.Phase.Should().Be("Running");
        var c = status.ContainerStatuses.Single();
        c.RestartCount.Should().Be(2);
        c.State.Waiting.Reason.Should().Be("CrashLoopBackOff");
        c.LastState.Terminated.ExitCode.Should().Be(3);
        c.LastState.Terminated.Reason.Should().Be("Error");
        c.LastState.Terminated.ContainerID.Should().Be("docker://c-2");
    }

    [Theory]
    [InlineData("Never", 0, "Succeeded")]
    [InlineData("Never", 1, "Failed")]
    [InlineData("OnFailure", 0, "Succeeded")]
    [InlineData("OnFailure", 1, "Running")]
    [InlineData("Always", 0, "Running")]
    public void Exited_containers_give_the_phase_the_restart_policy_implies(string policy, long exit, string phase)
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = policy;

        var status = Build(pod, [Container("c", ContainerRunState.Exited, exit: exit)]);

        status.Phase.Should().Be(phase);
        status.ContainerStatuses.Single().State.Terminated.Reason.Should().Be(exit == 0 ? "Completed" : "Error");
    }

    [Fact]
    public void A_succeeded_pod_reports_PodCompleted()
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";

        var status = Build(pod, [Container("c", ContainerRunState.Exited)]);

        status.Conditions.Single(c => c.Type == "Ready").Reason.Should().Be("PodCompleted");
        status.Conditions.Single(c => c.Type == "Initialized").Status.Should().Be("True");
    }

    [Fact]
    public void Init_containers_run_first_and_app_containers_wait_PodInitializing()
    {
        var pod = TestPods.Pod();
        pod.Spec.InitContainers = [new V1Container { Name = "init1", Image = "busybox" }, new V1Container { Name = "init2", Image = "busybox" }];

        var status = Build(pod, [Container("init1", ContainerRunState.Exited), Container("init2", ContainerRunState.Running)]);

        status.Phase.Should().Be("Pending");
        status.InitContainerStatuses.Select(s => s.State.Terminated?.Reason ?? (s.State.Running is null ? "?" : "Running")).Should().Equal("Completed", "Running");
        status.ContainerStatuses.Single().State.Waiting.Reason.Should().Be("PodInitializing");
        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        (initialized.Status, initialized.Reason, initialized.Message).Should().Be(("False", "ContainersNotInitialized", "containers with incomplete status: [init2]"));
    }

    [Fact]
    public void A_failed_init_container_fails_a_Never_pod()
    {
        var pod = TestPods.Pod();
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.InitContainers = [new V1Container { Name = "init1", Image = "busybox" }];

        Build(pod, [Container("init1", ContainerRunState.Exited, exit: 1)]).Phase.Should().Be("Failed");
    }

    [Fact]
    public void Unchanged_conditions_keep_their_transition_time_and_foreign_conditions_are_kept()
    {
        var pod = TestPods.Pod();
        var earlier = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        pod.Status = new V1PodStatus
        {
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = earlier },
                new V1PodCondition { Type = "DisruptionTarget", Status = "True", LastTransitionTime = earlier },
                new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = earlier },
                new V1PodCondition { Type = "Initialized", Status = "False", LastTransitionTime = earlier },
            ],
        };

        var status = Build(pod, [Container("c", ContainerRunState.Running)]);

        status.Conditions.Single(c => c.Type == "Ready").LastTransitionTime.Should().Be(earlier);
        status.Conditions.Single(c => c.Type == "Initialized").LastTransitionTime.Should().Be(Now.AddMilliseconds(-500));
        status.Conditions.Select(c => c.Type).Should().Equal("PodScheduled", "DisruptionTarget", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready");
    }
}
