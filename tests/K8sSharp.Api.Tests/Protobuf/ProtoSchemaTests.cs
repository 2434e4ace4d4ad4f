using System.Text.Json;
using Google.Protobuf.Reflection;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Protobuf;

/// <summary>The descriptor set and the tables that map it to Kubernetes' JSON.</summary>
public class ProtoSchemaTests
{
    [Theory]
    [InlineData("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment")]
    [InlineData("v1", "Pod", "k8s.io.api.core.v1.Pod")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "k8s.io.api.rbac.v1.ClusterRoleBinding")]
    [InlineData("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration", "k8s.io.api.flowcontrol.v1.PriorityLevelConfiguration")]
    [InlineData("internal.apiserver.k8s.io/v1alpha1", "StorageVersion", "k8s.io.api.apiserverinternal.v1alpha1.StorageVersion")]
    [InlineData("policy/v1", "Eviction", "k8s.io.api.policy.v1.Eviction")]
    [InlineData("authentication.k8s.io/v1", "TokenRequest", "k8s.io.api.authentication.v1.TokenRequest")]
    [InlineData("autoscaling/v2", "HorizontalPodAutoscaler", "k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler")]
    [InlineData("meta.k8s.io/v1", "Status", "k8s.io.apimachinery.pkg.apis.meta.v1.Status")]
    [InlineData("v1", "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions")]
    [InlineData("apps/v1", "Foo", null)]
    [InlineData("example.com/v1", "Widget", null)]
    public void Schema_maps_apiVersion_and_kind_to_proto_messages(string apiVersion, string kind, string? fullName)
    {
        (ProtoSchema.Instance.Find(apiVersion, kind)?.FullName).Should().Be(fullName);
    }

    [Fact]
    public void ExtraValue_and_Verbs_messages_have_the_slice_wrapper_shape()
    {
        var named = ProtoSchema.Instance.Messages.Where(m => m.Name is "ExtraValue" or "Verbs").ToList();

        named.Select(m => m.FullName).Should().Contain("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs")
            .And.Contain("k8s.io.api.authentication.v1.ExtraValue");
        named.Should().OnlyContain(m => KubeScalarTypes.IsSliceWrapper(m));
    }

    /// <summary>Every JSON name the decoder produces for a served (stable) type must be a property of that
    /// type's OpenAPI schema, and every inline entry must be needed: this pins <see cref="KubeJsonNames"/>.</summary>
    [Fact]
    public void Json_names_of_proto_fields_match_the_openapi_schemas()
    {
        var schemas = OpenApiProperties();
        var problems = new List<string>();
        var usedInline = new HashSet<string>();
        var checkedTypes = 0;
        foreach (var message in ProtoSchema.Instance.Messages)
        {
            if (!schemas.TryGetValue("io.k8s." + message.FullName["k8s.io.".Length..], out var properties))
                continue;
            checkedTypes++;
            foreach (var (name, field) in JsonFields(message, usedInline))
            {
                if (!properties.Contains(name))
                    problems.Add($"{message.FullName}: {field.FullName} -> '{name}' is not in the schema");
            }
        }

        problems.Should().BeEmpty();
        KubeJsonNames.InlineFieldNames.Should().BeSubsetOf(usedInline);
        checkedTypes.Should().BeGreaterThan(400);
    }

    private static IEnumerable<(string Name, FieldDescriptor Field)> JsonFields(MessageDescriptor type, HashSet<string> usedInline)
    {
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (!KubeJsonNames.IsInline(field))
            {
                yield return (KubeJsonNames.JsonName(field), field);
                continue;
            }
            usedInline.Add($"{type.Name}.{field.Name}");
            foreach (var inner in JsonFields(field.MessageType, usedInline))
                yield return inner;
        }
    }

    /// <summary>Schema name -> property names, for the object schemas of the embedded OpenAPI v3 documents.</summary>
    private static Dictionary<string, HashSet<string>> OpenApiProperties()
    {
        var assembly = typeof(SchemaMarker).Assembly;
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("openapi/v3/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var document = JsonDocument.Parse(stream);
            foreach (var schema in document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject())
            {
                if (schema.Value.TryGetProperty("properties", out var properties))
                    result[schema.Name] = properties.EnumerateObject().Select(p => p.Name).ToHashSet();
            }
        }
        return result;
    }
}
