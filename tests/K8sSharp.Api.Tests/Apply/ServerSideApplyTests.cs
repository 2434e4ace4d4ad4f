using System.Text.Json.Nodes;
using K8sSharp.Api.Apply;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Apply;

public class ServerSideApplyTests
{
    private static readonly GroupVersionKind DeploymentKind = new("apps", "v1", "Deployment");
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);

    private static JsonObject? Schema => SchemaIndex.BuiltIn.ForKind(DeploymentKind);

    private static JsonObject Deployment(int? replicas = 3, string image = "nginx:1.27", string labels = """{"app":"web"}""")
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"x"}]}}}}
            """)!.AsObject();
        obj["metadata"]!["labels"] = JsonNode.Parse(labels);
        obj["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        if (replicas is null)
        {
            obj["spec"]!.AsObject().Remove("replicas");
        }
        else
        {
            obj["spec"]!["replicas"] = replicas;
        }
        return obj;
    }

    private static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager = "kubectl", bool force = false, DateTimeOffset? now = null) =>
        ServerSideApply.Apply(live, applied, manager, force, Schema, SchemaIndex.BuiltIn, now ?? T0);

    private static JsonArray Entries(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    [Fact]
    public void CreateRecordsOneApplyEntryWithUpstreamFieldsV1()
    {
        var result = Apply(null, Deployment());

        result.Changed.Should().BeTrue();
        var entry = Entries(result.Object).Single()!.AsObject();
        Json.Text(entry).Should().Be(
            "{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2025-01-02T03:04:05Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":"
            + """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}}""");
        result.Object["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public void ReapplyingTheSameConfigurationChangesNothing()
    {
        var created = Apply(null, Deployment()).Object;
        var again = Apply(created, Deployment(), now: T1);

        again.Changed.Should().BeFalse();
        Entries(again.Object).Single()!["time"]!.GetValue<string>().Should().Be("2025-01-02T03:04:05Z");
        JsonNode.DeepEquals(again.Object, created).Should().BeTrue();
    }

    [Fact]
    public void DroppingAFieldFromTheConfigurationRemovesIt()
    {
        var created = Apply(null, Deployment(labels: """{"app":"web","tier":"front"}""")).Object;
        var result = Apply(created, Deployment(replicas: null));

        result.Object["spec"]!.AsObject().ContainsKey("replicas").Should().BeFalse();
        Json.Text(result.Object["metadata"]!["labels"]!).Should().Be("""{"app":"web"}""");
        Entries(result.Object).Single()!["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas").Should().BeFalse();
    }

    [Fact]
    public void AFieldStillOwnedByAnotherManagerIsNotRemoved()
    {
        var created = Apply(null, Deployment()).Object;
        var shared = Apply(created, Deployment(), manager: "helm").Object;
        var result = Apply(shared, Deployment(replicas: null), manager: "kubectl");

        result.Object["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public void TwoManagersApplyingTheSameValueShareTheField()
    {
        var created = Apply(null, Deployment()).Object;
        var result = Apply(created, Deployment(), manager: "helm");

        var managers = Entries(result.Object).Select(e => e!["manager"]!.GetValue<string>()).ToList();
        managers.Should().BeEquivalentTo("kubectl", "helm");
        Entries(result.Object).Should().AllSatisfy(e => e!["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas").Should().BeTrue());
    }

    [Fact]
    public void ADifferentValueConflictsWithUpstreamMessage()
    {
        var created = Apply(null, Deployment()).Object;
        var act = () => Apply(created, Deployment(replicas: 5), manager: "helm");

        var error = act.Should().Throw<ApplyConflictException>().Which;
        error.Message.Should().Be("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        error.Conflicts.Single().Field.Should().Be(".spec.replicas");
    }

    [Fact]
    public void SeveralConflictsAreGroupedByManager()
    {
        var created = Apply(null, Deployment()).Object;
        var act = () => Apply(created, Deployment(replicas: 5, image: "nginx:1.28"), manager: "helm");

        act.Should().Throw<ApplyConflictException>().WithMessage(
            "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image");
    }

    [Fact]
    public void ForceMovesOwnershipToTheApplier()
    {
        var created = Apply(null, Deployment()).Object;
        var result = Apply(created, Deployment(replicas: 5), manager: "helm", force: true).Object;

        result["spec"]!["replicas"]!.GetValue<int>().Should().Be(5);
        var kubectl = Entries(result).Single(e => e!["manager"]!.GetValue<string>() == "kubectl")!;
        kubectl["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas").Should().BeFalse();
        var helm = Entries(result).Single(e => e!["manager"]!.GetValue<string>() == "helm")!;
        helm["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas").Should().BeTrue();
    }

    [Fact]
    public void ContainersMergeByNameAndLabelsMergeByKey()
    {
        var created = Apply(null, Deployment()).Object;
        var sidecar = Deployment(labels: """{"team":"a"}""");
        sidecar["spec"]!["template"]!["spec"]!["containers"] = JsonNode.Parse("""[{"name":"sidecar","image":"busybox"}]""");
        sidecar["spec"]!.AsObject().Remove("replicas");
        var result = Apply(created, sidecar, manager: "other").Object;

        var names = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        names.Should().Equal("nginx", "sidecar");
        Json.Text(result["metadata"]!["labels"]!).Should().Be("""{"app":"web","team":"a"}""");
    }

    [Fact]
    public void ScaleByAnUpdateThenApplyConflictsOnReplicas()
    {
        var created = Apply(null, Deployment()).Object;
        var scaled = (JsonObject)created.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        ManagedFields.UpdateForWrite(created, scaled, "kubectl", new FieldManagerContext(Schema, SchemaIndex.BuiltIn, T1, Subresource: "scale"));

        var update = Entries(scaled).Single(e => e!["operation"]!.GetValue<string>() == "Update")!;
        Json.Text(update["fieldsV1"]!).Should().Be("""{"f:spec":{"f:replicas":{}}}""");
        var act = () => Apply(scaled, Deployment());
        act.Should().Throw<ApplyConflictException>().WithMessage(
            "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas");
        Apply(scaled, Deployment(replicas: 5)).Changed.Should().BeFalse();
    }

    [Fact]
    public void ListTypeMapKeysUseSchemaDefaults()
    {
        var applied = Deployment();
        applied["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"] = JsonNode.Parse("""[{"containerPort":80}]""");
        var entry = Json.Text(Apply(null, applied).Object["metadata"]!["managedFields"]![0]!["fieldsV1"]!);
        entry.Should().Contain("""k:{\"containerPort\":80,\"protocol\":\"TCP\"}""");
    }

    [Fact]
    public void KubectlMayTakeOverFieldsItsClientSideApplyAnnotationLists()
    {
        var live = Deployment();
        live["metadata"]!["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = Json.Text(Deployment()) };
        ManagedFields.UpdateForWrite(null, live, "kubectl-client-side-apply", new FieldManagerContext(Schema, SchemaIndex.BuiltIn, T0));

        var result = Apply(live, Deployment(replicas: 4)).Object;

        result["spec"]!["replicas"]!.GetValue<int>().Should().Be(4);
        var annotation = result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>();
        JsonNode.Parse(annotation)!["spec"]!["replicas"]!.GetValue<int>().Should().Be(4);
        var act = () => Apply(live, Deployment(replicas: 4), manager: "helm");
        act.Should().Throw<ApplyConflictException>();
    }

    [Fact]
    public void StatusIsNotOwnedWhenItIsReset()
    {
        var applied = Deployment();
        applied["status"] = JsonNode.Parse("""{"replicas":1}""");
        var context = new FieldManagerContext(Schema, SchemaIndex.BuiltIn, T0, FieldSet.Of([PathElement.Field("status")]));
        var result = ServerSideApply.Apply(null, applied, "kubectl", false, context).Object;

        Entries(result).Single()!["fieldsV1"]!.AsObject().ContainsKey("f:status").Should().BeFalse();
    }
}
