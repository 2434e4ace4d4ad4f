using System.Text.Json.Nodes;
using K8sSharp.Api.Patching;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Tests.Patching;

/// <summary>
/// Strategic merge patch against the embedded official schemas. JSON in the tables uses single quotes for
/// readability; expected values follow upstream apimachinery behaviour, including its list ordering.
/// </summary>
public class StrategicMergePatchTests
{
    private const string NginxDeployment = """
        {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web','tier':'front'},'finalizers':['a','b']},
         'spec':{'replicas':1,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1,'maxUnavailable':0}},
          'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
                                            {'name':'sidecar','image':'busybox'}],
                              'volumes':[{'name':'data','emptyDir':{}}],
                              'tolerations':[{'key':'k1','operator':'Exists'}]}}}}
        """;

    [Theory]
    [InlineData("kubectl apply (second apply): setElementOrder + env delete + replicas",
        """
        {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}\n'}},
         'spec':{'replicas':3,'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],
           'containers':[{'$setElementOrder/env':[{'name':'A'}],'env':[{'$patch':'delete','name':'B'}],'image':'nginx:1.26','name':'nginx'}]}}}}
        """,
        "/spec/replicas", "3",
        "/spec/template/spec/containers/0", "{'name':'nginx','image':'nginx:1.26','env':[{'name':'A','value':'1'}]}")]
    [InlineData("kubectl set image only touches the named container",
        "{'spec':{'template':{'spec':{'containers':[{'image':'busybox:1.36','name':'sidecar'}]}}}}",
        "/spec/template/spec/containers", "[{'name':'nginx','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'sidecar','image':'busybox:1.36'}]",
        "/spec/replicas", "1")]
    [InlineData("$patch: delete removes a container by merge key",
        "{'spec':{'template':{'spec':{'containers':[{'$patch':'delete','name':'sidecar'}]}}}}",
        "/spec/template/spec/containers", "[{'name':'nginx','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]",
        "/spec/template/spec/volumes", "[{'name':'data','emptyDir':{}}]")]
    [InlineData("$patch: replace item makes the other items the whole list",
        "{'spec':{'template':{'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'x'}]}}}}",
        "/spec/template/spec/containers", "[{'name':'only','image':'x'}]",
        "/spec/replicas", "1")]
    [InlineData("$retainKeys on strategy: RollingUpdate -> Recreate drops rollingUpdate",
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
        "/spec/strategy", "{'type':'Recreate'}",
        "/spec/replicas", "1")]
    [InlineData("$retainKeys on a volume (merge,retainKeys): emptyDir -> configMap",
        "{'spec':{'template':{'spec':{'volumes':[{'$retainKeys':['configMap','name'],'name':'data','configMap':{'name':'cm'}}]}}}}",
        "/spec/template/spec/volumes", "[{'name':'data','configMap':{'name':'cm'}}]",
        "/spec/replicas", "1")]
    [InlineData("$deleteFromPrimitiveList removes finalizers",
        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}",
        "/metadata/finalizers", "['b']",
        "/metadata/name", "'web'")]
    [InlineData("finalizers (merge of primitives): union, new values first as upstream orders them",
        "{'metadata':{'finalizers':['c','a']}}",
        "/metadata/finalizers", "['c','a','b']",
        "/metadata/name", "'web'")]
    [InlineData("finalizers with $setElementOrder keep the requested order",
        "{'metadata':{'$setElementOrder/finalizers':['a','b','c'],'finalizers':['c']}}",
        "/metadata/finalizers", "['a','b','c']",
        "/metadata/name", "'web'")]
    [InlineData("null deletes a label, others stay",
        "{'metadata':{'labels':{'tier':null,'env':'prod'}}}",
        "/metadata/labels", "{'app':'web','env':'prod'}",
        "/metadata/name", "'web'")]
    [InlineData("$patch: replace in a map replaces the map",
        "{'metadata':{'labels':{'$patch':'replace','only':'me'}}}",
        "/metadata/labels", "{'only':'me'}",
        "/metadata/name", "'web'")]
    [InlineData("$patch: delete in a map empties it (upstream keeps the key as {})",
        "{'spec':{'strategy':{'$patch':'delete'}}}",
        "/spec/strategy", "{}",
        "/spec/replicas", "1")]
    [InlineData("atomic lists (tolerations) are replaced",
        "{'spec':{'template':{'spec':{'tolerations':[{'key':'k2','operator':'Exists'}]}}}}",
        "/spec/template/spec/tolerations", "[{'key':'k2','operator':'Exists'}]",
        "/spec/template/spec/containers/1/name", "'sidecar'")]
    [InlineData("new env var without order directive goes first (upstream mergeSortedSlice)",
        "{'spec':{'template':{'spec':{'containers':[{'name':'nginx','env':[{'name':'C','value':'3'}]}]}}}}",
        "/spec/template/spec/containers/0/env", "[{'name':'C','value':'3'},{'name':'A','value':'1'},{'name':'B','value':'2'}]",
        "/spec/template/spec/containers/1/name", "'sidecar'")]
    [InlineData("new env var with $setElementOrder is placed as ordered",
        "{'spec':{'template':{'spec':{'containers':[{'name':'nginx','$setElementOrder/env':[{'name':'A'},{'name':'C'},{'name':'B'}],'env':[{'name':'C','value':'3'}]}]}}}}",
        "/spec/template/spec/containers/0/env", "[{'name':'A','value':'1'},{'name':'C','value':'3'},{'name':'B','value':'2'}]",
        "/spec/template/spec/containers/1/name", "'sidecar'")]
    [InlineData("$setElementOrder alone reorders containers",
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'nginx'}]}}}}",
        "/spec/template/spec/containers/0/name", "'sidecar'",
        "/spec/template/spec/containers/1/name", "'nginx'")]
    [InlineData("directives inside a brand-new container are stripped",
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'},{'name':'sidecar'},{'name':'new'}],'containers':[{'name':'new','image':'n','$setElementOrder/env':[{'name':'X'}],'env':[{'name':'X','value':'x'}]}]}}}}",
        "/spec/template/spec/containers/2", "{'name':'new','image':'n','env':[{'name':'X','value':'x'}]}",
        "/spec/template/spec/containers/0/name", "'nginx'")]
    public void DeploymentPatches(string description, string patch, string path1, string expected1, string path2, string expected2)
    {
        var result = Apply(new GroupVersionKind("apps", "v1", "Deployment"), NginxDeployment, patch);

        At(result, path1).Should().Be(Normalize(expected1), description);
        At(result, path2).Should().Be(Normalize(expected2), description);
        result.ToJsonString().Should().NotContain("$", "directives never remain in the result");
    }

    [Theory]
    [InlineData("existing port merges by port",
        "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
        "[{'name':'http','port':80,'targetPort':9090},{'name':'https','port':443,'targetPort':8443}]")]
    [InlineData("new port is added (ahead of server-only ports, as upstream orders it)",
        "{'spec':{'ports':[{'name':'metrics','port':9100}]}}",
        "[{'name':'metrics','port':9100},{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443,'targetPort':8443}]")]
    [InlineData("port deleted by merge key",
        "{'spec':{'ports':[{'$patch':'delete','port':443}]}}",
        "[{'name':'http','port':80,'targetPort':8080}]")]
    public void ServicePortsMergeByPort(string description, string patch, string expectedPorts)
    {
        const string service = "{'kind':'Service','metadata':{'name':'s'},'spec':{'selector':{'app':'web'},'ports':[{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443,'targetPort':8443}]}}";

        var result = Apply(new GroupVersionKind(string.Empty, "v1", "Service"), service, patch);

        At(result, "/spec/ports").Should().Be(Normalize(expectedPorts), description);
        At(result, "/spec/selector").Should().Be(Normalize("{'app':'web'}"));
    }

    [Theory]
    [InlineData("{'spec':{'template':{'spec':{'containers':[{'$patch':'explode','name':'nginx'}]}}}}", "unknown patch type: explode in map: map[$patch:explode name:nginx]")]
    [InlineData("{'metadata':{'labels':{'$patch':'bogus'}}}", "unknown patch type: bogus in map: map[$patch:bogus]")]
    [InlineData("{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}", "map: map[image:x] does not contain declared merge key: name")]
    [InlineData("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':{}}}}", "invalid patch format of retainKeys")]
    [InlineData("{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}", "invalid patch format of primitive list")]
    [InlineData("{'spec':{'template':{'spec':{'containers':[{'$patch':'merge','name':'nginx'}]}}}}", "merging lists cannot yet be specified in the patch")]
    [InlineData("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],'containers':[{'name':'sidecar','image':'y'}]}}}}", "*doesn't match $setElementOrder list*")]
    public void InvalidDirectivesThrow(string patch, string message)
    {
        var act = () => Apply(new GroupVersionKind("apps", "v1", "Deployment"), NginxDeployment, patch);

        act.Should().Throw<PatchException>().WithMessage(message);
    }

    [Fact]
    public void UnknownKindMergesMapsAndReplacesLists()
    {
        var original = Parse("{'spec':{'items':[{'name':'a'}],'keep':1,'drop':2,'nested':{'x':1}}}");
        var patch = Parse("{'spec':{'items':[{'name':'b'}],'drop':null,'nested':{'y':2}}}");

        var result = StrategicMergePatch.Apply(original, patch, schema: null, SchemaIndex.BuiltIn);

        Canonical(result).Should().Be(Normalize("{'spec':{'items':[{'name':'b'}],'keep':1,'nested':{'x':1,'y':2}}}"));
    }

    [Fact]
    public void OwnerReferencesMergeByUidAndInputsStayUntouched()
    {
        var original = Parse("{'metadata':{'name':'p','ownerReferences':[{'uid':'u1','kind':'ReplicaSet','name':'rs'}]},'spec':{'containers':[{'name':'c','image':'i'}]}}");
        var patch = Parse("{'metadata':{'ownerReferences':[{'uid':'u1','controller':true}]}}");
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        var result = StrategicMergePatch.Apply(original, patch, Schema(new GroupVersionKind(string.Empty, "v1", "Pod")), SchemaIndex.BuiltIn);

        At(result, "/metadata/ownerReferences").Should().Be(Normalize("[{'uid':'u1','kind':'ReplicaSet','name':'rs','controller':true}]"));
        original.ToJsonString().Should().Be(originalText);
        patch.ToJsonString().Should().Be(patchText);
    }

    private static JsonObject Apply(GroupVersionKind gvk, string original, string patch) =>
        StrategicMergePatch.Apply(Parse(original), Parse(patch), Schema(gvk), SchemaIndex.BuiltIn);

    private static JsonObject Schema(GroupVersionKind gvk) =>
        SchemaIndex.BuiltIn.ForKind(gvk) ?? throw new InvalidOperationException($"no schema for {gvk}");

    private static JsonObject Parse(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();

    private static string Normalize(string json) => Canonical(JsonNode.Parse(json.Replace('\'', '"')));

    /// <summary>Serializes with object keys sorted (key order is not significant), list order kept (it is).</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    /// <summary>The node at a JSON pointer, serialized; "&lt;missing&gt;" when absent.</summary>
    private static string At(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in pointer.Split('/')[1..])
        {
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }
        return node is null ? "<missing>" : Canonical(node);
    }
}
