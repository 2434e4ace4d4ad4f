using System.Text.Json.Nodes;
using K8sSharp.Api.Apply;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Apply;

public class ManagedFieldsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static FieldManagerContext Context(string kind = "ConfigMap", string group = "", string version = "v1") =>
        new(SchemaIndex.BuiltIn.ForKind(new GroupVersionKind(group, version, kind)), SchemaIndex.BuiltIn, T0);

    [Theory]
    [InlineData("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{}}}}}""")]
    [InlineData("""{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:finalizers":{"v:\"x\"":{}}}}""")]
    [InlineData("""{"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}},"k:{\"port\":8080,\"protocol\":\"TCP\"}":{}}}}""")]
    public void FieldsV1RoundTrips(string json)
    {
        Json.Text(FieldSet.FromFieldsV1(JsonNode.Parse(json)!.AsObject()).ToFieldsV1()).Should().Be(json);
    }

    [Fact]
    public void FieldsV1IsWrittenInUpstreamOrder()
    {
        var set = FieldSet.FromFieldsV1(JsonNode.Parse("""{"f:b":{},"k:{\"a\":2}":{},"f:a":{},"k:{\"a\":1,\"b\":1}":{},"k:{\"a\":1}":{}}""")!.AsObject());
        Json.Text(set.ToFieldsV1()).Should().Be("""{"f:a":{},"f:b":{},"k:{\"a\":1}":{},"k:{\"a\":2}":{},"k:{\"a\":1,\"b\":1}":{}}""");
    }

    [Fact]
    public void CreateRecordsAnUpdateEntryForTheWriter()
    {
        var obj = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1"}},"data":{"k":"v"}}""")!.AsObject();
        ManagedFields.UpdateForWrite(null, obj, "kubectl-create", Context());

        Json.Text(obj["metadata"]!["managedFields"]!).Should().Be(
            """[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2025-01-02T03:04:05Z","fieldsType":"FieldsV1","fieldsV1":"""
            + """{"f:data":{".":{},"f:k":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}}]""");
    }

    [Fact]
    public void AnUpdateTakesChangedFieldsAndRemovedFieldsLeaveEverySet()
    {
        var old = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}""")!.AsObject();
        ManagedFields.UpdateForWrite(null, old, "creator", Context());
        var updated = (JsonObject)old.DeepClone();
        updated["data"] = JsonNode.Parse("""{"a":"changed"}""");
        ManagedFields.UpdateForWrite(old, updated, "editor", Context());

        var entries = ManagedFields.Read(updated);
        entries.Single(e => e.Manager == "creator").Fields.ToString().Should().Be("""{"f:data":{}}""");
        entries.Single(e => e.Manager == "editor").Fields.ToString().Should().Be("""{"f:data":{"f:a":{}}}""");
    }

    [Fact]
    public void AWriteThatChangesNothingAddsNoEntry()
    {
        var old = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""")!.AsObject();
        ManagedFields.UpdateForWrite(null, old, "creator", Context());
        var same = (JsonObject)old.DeepClone();
        ManagedFields.UpdateForWrite(old, same, "someone", Context());

        ManagedFields.Read(same).Select(e => e.Manager).Should().Equal("creator");
    }

    [Theory]
    [InlineData("""[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]""", "kubectl")]
    [InlineData("""[{}]""", "")]
    [InlineData("""[]""", "creator")]
    public void ManagedFieldsWrittenByTheClientAreKeptAsGiven(string clientEntries, string expectedManagers)
    {
        var old = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""")!.AsObject();
        ManagedFields.UpdateForWrite(null, old, "creator", Context());
        var patched = (JsonObject)old.DeepClone();
        patched["metadata"]!["managedFields"] = JsonNode.Parse(clientEntries);
        ManagedFields.UpdateForWrite(old, patched, "kubectl", Context());

        string.Join(",", ManagedFields.Read(patched).Select(e => e.Manager)).Should().Be(expectedManagers);
    }
}
