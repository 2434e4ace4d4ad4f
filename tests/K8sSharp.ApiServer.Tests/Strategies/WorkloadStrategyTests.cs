using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

public class WorkloadStrategyTests
{
    private const string Template = """{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"busybox","image":"busybox"}]}}""";
    private const string Selector = """{"matchLabels":{"app":"x"}}""";

    private static string Workload(string kind, string extra = "") =>
        $$"""{"kind":"{{kind}}","metadata":{"name":"x"},"spec":{"selector":{{Selector}},"template":{{Template}}""" + extra + "}}";

    [Fact]
    public void Deployment_gets_replicas_strategy_history_deadline_and_template_defaults()
    {
        var (d, errors) = Create(For("apps", "v1", "deployments"), Workload("Deployment"));

        errors.Should().BeEmpty();
        var spec = d["spec"]!;
        ((int?)spec["replicas"]).Should().Be(1);
        spec["strategy"]!.ToJsonString().Should().Be("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""");
        ((int?)spec["revisionHistoryLimit"]).Should().Be(10);
        ((int?)spec["progressDeadlineSeconds"]).Should().Be(600);
        var pod = spec["template"]!["spec"]!;
        ((string?)pod["restartPolicy"]).Should().Be("Always");
        ((string?)pod["containers"]![0]!["imagePullPolicy"]).Should().Be("Always");
        pod["serviceAccountName"].Should().BeNull("service account defaulting is pod admission, not template defaulting");
        pod["enableServiceLinks"].Should().BeNull("enableServiceLinks is a pod-only default");
        d["status"]!.ToJsonString().Should().Be("{}");
    }

    [Fact]
    public void Recreate_deployments_get_no_rolling_parameters()
    {
        var (d, _) = Create(For("apps", "v1", "deployments"), Workload("Deployment", ""","strategy":{"type":"Recreate"}"""));

        d["spec"]!["strategy"]!.ToJsonString().Should().Be("""{"type":"Recreate"}""");
    }

    [Fact]
    public void ReplicaSet_DaemonSet_and_StatefulSet_defaults()
    {
        var (rs, _) = Create(For("apps", "v1", "replicasets"), Workload("ReplicaSet"));
        var (ds, _) = Create(For("apps", "v1", "daemonsets"), Workload("DaemonSet"));
        var (sts, _) = Create(For("apps", "v1", "statefulsets"), Workload("StatefulSet"));

        ((int?)rs["spec"]!["replicas"]).Should().Be(1);
        ds["spec"]!["updateStrategy"]!.ToJsonString().Should().Be("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""");
        ((int?)ds["spec"]!["revisionHistoryLimit"]).Should().Be(10);
        var spec = sts["spec"]!;
        ((string?)spec["podManagementPolicy"]).Should().Be("OrderedReady");
        spec["updateStrategy"]!.ToJsonString().Should().Be("""{"type":"RollingUpdate","rollingUpdate":{"partition":0,"maxUnavailable":1}}""");
        ((int?)spec["replicas"]).Should().Be(1);
        spec["persistentVolumeClaimRetentionPolicy"]!.ToJsonString().Should().Be("""{"whenDeleted":"Retain","whenScaled":"Retain"}""");
        sts["status"]!.ToJsonString().Should().Be("""{"availableReplicas":0,"replicas":0}""");
    }

    [Fact]
    public void ReplicationController_selector_and_labels_default_to_the_template_labels()
    {
        var (rc, errors) = Create(For("", "v1", "replicationcontrollers"), """{"metadata":{"name":"x"},"spec":{"template":""" + Template + "}}");

        errors.Should().BeEmpty();
        rc["spec"]!["selector"]!.ToJsonString().Should().Be("""{"app":"x"}""");
        rc["metadata"]!["labels"]!.ToJsonString().Should().Be("""{"app":"x"}""");
        ((int?)rc["spec"]!["replicas"]).Should().Be(1);
    }

    [Theory]
    [InlineData("deployments", """{"kind":"Deployment","metadata":{"name":"x"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.selector: Required value")]
    [InlineData("deployments", """{"metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"app":"y"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`")]
    [InlineData("deployments", """{"metadata":{"name":"x"},"spec":{"selector":{},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")]
    [InlineData("deployments", """{"metadata":{"name":"x"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("deployments", """{"metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")]
    [InlineData("deployments", """{"metadata":{"name":"x"},"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":0}},"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0")]
    [InlineData("statefulsets", """{"metadata":{"name":"x"},"spec":{"podManagementPolicy":"Random","selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'")]
    [InlineData("daemonsets", """{"metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c"}]}}}}""",
        "spec.template.spec.containers[0].image: Required value")]
    public void Invalid_workloads_report_upstream_messages(string resource, string json, string expected)
    {
        var (_, errors) = Create(For("apps", "v1", resource), json);

        Lines(errors).Should().Contain(expected);
    }

    [Fact]
    public void A_missing_selector_also_reports_the_label_mismatch_like_upstream()
    {
        var (_, errors) = Create(For("apps", "v1", "deployments"), """{"metadata":{"name":"x"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""");

        errors.Select(e => e.Field).Should().Equal("spec.selector", "spec.template.metadata.labels");
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("replicasets")]
    [InlineData("daemonsets")]
    public void Selectors_are_immutable(string resource)
    {
        var strategy = For("apps", "v1", resource);
        var (obj, _) = Create(strategy, Workload("X"));

        var (_, errors) = Update(strategy, obj, o =>
        {
            o["spec"]!["selector"] = JsonNode.Parse("""{"matchLabels":{"app":"x","tier":"web"}}""");
            o["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "web";
        });

        Lines(errors).Should().Equal(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\", \"tier\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    }

    [Fact]
    public void StatefulSet_updates_are_limited_to_the_listed_fields()
    {
        var strategy = For("apps", "v1", "statefulsets");
        var (sts, _) = Create(strategy, Workload("StatefulSet"));

        var (_, scaled) = Update(strategy, sts, o => o["spec"]!["replicas"] = 3);
        var (_, renamed) = Update(strategy, sts, o => o["spec"]!["serviceName"] = "other");

        scaled.Should().BeEmpty();
        Lines(renamed).Should().Equal(
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    [Fact]
    public void Deployment_updates_are_defaulted_like_creates()
    {
        var strategy = For("apps", "v1", "deployments");
        var (d, _) = Create(strategy, Workload("Deployment"));

        var (updated, errors) = Update(strategy, d, o => o["spec"]!.AsObject().Remove("revisionHistoryLimit"));

        errors.Should().BeEmpty();
        ((int?)updated["spec"]!["revisionHistoryLimit"]).Should().Be(10);
    }

    [Fact]
    public void DaemonSet_template_generation_starts_at_1_and_grows_only_with_template_changes()
    {
        var strategy = For("apps", "v1", "daemonsets");
        var (ds, _) = Create(strategy, Workload("DaemonSet"));
        static string? Generation(JsonObject o) => (string?)o["metadata"]!["annotations"]!["deprecated.daemonset.template.generation"];

        var (relabelled, _) = Update(strategy, ds, o => o["metadata"]!["labels"] = JsonNode.Parse("""{"a":"b"}"""));
        var (changed, _) = Update(strategy, ds, o => o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "busybox:1.35");

        (Generation(ds), Generation(relabelled), Generation(changed)).Should().Be(("1", "1", "2"));
    }

    [Fact]
    public void StatefulSet_containers_may_mount_their_volume_claim_templates()
    {
        var template = """{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox","volumeMounts":[{"name":"www","mountPath":"/www"},{"name":"nope","mountPath":"/n"}]}]}}""";
        var json = $$$"""{"kind":"StatefulSet","metadata":{"name":"x"},"spec":{"selector":{{{Selector}}},"template":{{{template}}},"volumeClaimTemplates":[{"metadata":{"name":"www"}}]}}""";

        var (_, errors) = Create(For("apps", "v1", "statefulsets"), json);

        errors.Select(e => e.Field).Should().Equal("spec.template.spec.containers[0].volumeMounts[1].name");
    }
}
