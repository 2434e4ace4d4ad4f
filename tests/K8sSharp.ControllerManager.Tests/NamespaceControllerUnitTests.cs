using k8s.Models;
using K8sSharp.Client.Dynamic;
using K8sSharp.ControllerManager.Namespaces;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The namespace controller's status conditions, from what a pass of content deletion reported.</summary>
public sealed class NamespaceControllerUnitTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PartialObjectMetadata Item(params string[] finalizers) => new() { Metadata = new V1ObjectMeta { Name = "x", Finalizers = finalizers } };

    [Fact]
    public void Remaining_content_and_finalizers_become_true_conditions_with_upstream_messages()
    {
        var report = new NamespaceContentReport();
        report.AddRemaining(new GroupVersionResource("", "v1", "pods"), [Item(), Item()]);
        report.AddRemaining(new GroupVersionResource("apps", "v1", "replicasets"), [Item("example.com/hold")]);
        var conditions = new List<V1NamespaceCondition>();

        NamespaceDeletionConditions.Update(conditions, report, T0).Should().BeTrue();

        report.IsEmpty.Should().BeFalse();
        conditions.Select(c => c.Type).Should().Equal(
            "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure",
            "NamespaceContentRemaining", "NamespaceFinalizersRemaining");
        var remaining = conditions.Single(c => c.Type == "NamespaceContentRemaining");
        (remaining.Status, remaining.Reason, remaining.Message).Should().Be(("True", "SomeResourcesRemain",
            "Some resources are remaining: pods. has 2 resource instances, replicasets.apps has 1 resource instances"));
        var finalizers = conditions.Single(c => c.Type == "NamespaceFinalizersRemaining");
        (finalizers.Status, finalizers.Reason, finalizers.Message).Should().Be(("True", "SomeFinalizerRemain",
            "Some finalizers are remaining: example.com/hold in 1 resource instances"));
        conditions.Single(c => c.Type == "NamespaceDeletionDiscoveryFailure").Should().BeEquivalentTo(new
        {
            Status = "False", Reason = "ResourcesDiscovered", Message = "All resources successfully discovered",
        });
    }

    [Fact]
    public void Conditions_flip_back_to_false_when_content_is_gone_and_an_unchanged_report_writes_nothing()
    {
        var conditions = new List<V1NamespaceCondition>();
        var failing = new NamespaceContentReport { DiscoveryError = "boom" };
        failing.DeleteErrors.Add("configmaps.v1: denied");
        NamespaceDeletionConditions.Update(conditions, failing, T0);
        conditions.Single(c => c.Type == "NamespaceDeletionContentFailure").Message
            .Should().Be("Failed to delete all resource types, 1 remaining: configmaps.v1: denied");

        NamespaceDeletionConditions.Update(conditions, new NamespaceContentReport(), T0.AddMinutes(1)).Should().BeTrue();
        NamespaceDeletionConditions.Update(conditions, new NamespaceContentReport(), T0.AddMinutes(2)).Should().BeFalse();

        conditions.Should().OnlyContain(c => c.Status == "False");
        var discovery = conditions.Single(c => c.Type == "NamespaceDeletionDiscoveryFailure");
        discovery.LastTransitionTime.Should().Be(T0.AddMinutes(1), "it flipped from True to False then");
        conditions.Single(c => c.Type == "NamespaceContentRemaining").LastTransitionTime.Should().Be(T0, "it never flipped");
    }
}
