using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

public class ConfigStrategyTests
{
    [Theory]
    [InlineData("configmaps")]
    [InlineData("secrets")]
    public void Immutable_objects_reject_data_changes_and_unsetting_the_flag(string resource)
    {
        var strategy = For("", "v1", resource);
        var (obj, created) = Create(strategy, """{"metadata":{"name":"c"},"immutable":true,"data":{"k":"dg=="}}""");

        var (_, dataErrors) = Update(strategy, obj, o => o["data"]!["k"] = "dw==");
        var (_, flagErrors) = Update(strategy, obj, o => o["immutable"] = false);
        var (_, labelErrors) = Update(strategy, obj, o => o["metadata"]!["labels"] = new JsonObject { ["a"] = "b" });

        created.Should().BeEmpty();
        Lines(dataErrors).Should().Equal("data: Forbidden: field is immutable when `immutable` is set");
        Lines(flagErrors).Should().Equal("immutable: Forbidden: field is immutable when `immutable` is set");
        labelErrors.Should().BeEmpty();
    }

    [Fact]
    public void Mutable_configmaps_may_change_data()
    {
        var strategy = For("", "v1", "configmaps");
        var (obj, _) = Create(strategy, """{"metadata":{"name":"c"},"data":{"k":"v"}}""");

        var (_, errors) = Update(strategy, obj, o => o["data"]!["k"] = "w");

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Config_keys_are_validated()
    {
        var (_, errors) = Create(For("", "v1", "configmaps"), """{"metadata":{"name":"c"},"data":{"bad key":"v","ok.key":"v"}}""");

        Lines(errors).Should().ContainSingle().Which.Should().StartWith("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters");
    }

    [Fact]
    public void Secret_type_is_immutable()
    {
        var strategy = For("", "v1", "secrets");
        var (obj, _) = Create(strategy, """{"metadata":{"name":"s"},"data":{}}""");

        var (_, errors) = Update(strategy, obj, o => o["type"] = "kubernetes.io/tls");

        ((string?)obj["type"]).Should().Be("Opaque");
        Lines(errors).Should().Equal("type: Invalid value: \"kubernetes.io/tls\": field is immutable");
    }

    [Fact]
    public void Claims_default_to_filesystem_volume_mode()
    {
        var (pvc, errors) = Create(For("", "v1", "persistentvolumeclaims"), """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");

        errors.Should().BeEmpty();
        ((string?)pvc["spec"]!["volumeMode"]).Should().Be("Filesystem");
        ((string?)pvc["status"]!["phase"]).Should().Be("Pending");
    }
}
