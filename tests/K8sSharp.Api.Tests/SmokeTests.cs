namespace K8sSharp.Api.Tests;

public class SmokeTests
{
    [Fact]
    public void EmbeddedOpenApiDocumentsArePresent()
    {
        var names = typeof(K8sSharp.Api.Schema.SchemaMarker).Assembly.GetManifestResourceNames();
        names.Should().Contain("openapi/v3/api__v1_openapi.json");
    }
}
