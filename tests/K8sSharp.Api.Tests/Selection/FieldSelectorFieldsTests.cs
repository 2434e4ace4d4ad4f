using System.Text.Json.Nodes;
using K8sSharp.Api.Selection;

namespace K8sSharp.Api.Tests.Selection;

public class FieldSelectorFieldsTests
{
    private static readonly JsonObject Pod = Parse("""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-1","namespace":"prod"},
         "spec":{"nodeName":"node-a","restartPolicy":"Always","schedulerName":"default-scheduler",
                 "serviceAccountName":"web","hostNetwork":true},
         "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.9"},{"ip":"fd00::9"}],
                   "nominatedNodeName":"node-b"}}
        """);

    [Theory]
    [InlineData("metadata.name", "web-1")]
    [InlineData("metadata.namespace", "prod")]
    [InlineData("spec.nodeName", "node-a")]
    [InlineData("spec.restartPolicy", "Always")]
    [InlineData("spec.schedulerName", "default-scheduler")]
    [InlineData("spec.serviceAccountName", "web")]
    [InlineData("spec.hostNetwork", "true")]
    [InlineData("status.phase", "Running")]
    [InlineData("status.podIP", "10.0.0.9")]
    [InlineData("status.nominatedNodeName", "node-b")]
    public void ExtractsPodFields(string field, string value)
    {
        FieldSelectorFields.Extract("", "Pod", Pod).Should().Contain(field, value);
    }

    [Fact]
    public void PodHostNetworkDefaultsToFalse()
    {
        var pod = Parse("""{"metadata":{"name":"p"},"spec":{}}""");
        FieldSelectorFields.Extract("", "Pod", pod).Should().Contain("spec.hostNetwork", "false")
            .And.Contain("spec.nodeName", "");
    }

    // (group, kind, object JSON, field, expected value)
    [Theory]
    [InlineData("", "Node", """{"metadata":{"name":"n"},"spec":{"unschedulable":true}}""", "spec.unschedulable", "true")]
    [InlineData("", "Node", """{"metadata":{"name":"n"}}""", "spec.unschedulable", "false")]
    [InlineData("", "Namespace", """{"metadata":{"name":"ns"},"status":{"phase":"Terminating"}}""", "status.phase", "Terminating")]
    [InlineData("", "Secret", """{"metadata":{"name":"s"},"type":"kubernetes.io/tls"}""", "type", "kubernetes.io/tls")]
    [InlineData("", "Service", """{"spec":{"type":"NodePort","clusterIP":"10.96.0.10"}}""", "spec.clusterIP", "10.96.0.10")]
    [InlineData("", "Service", """{"spec":{"type":"NodePort"}}""", "spec.type", "NodePort")]
    [InlineData("", "ReplicationController", """{"status":{"replicas":3}}""", "status.replicas", "3")]
    [InlineData("apps", "ReplicaSet", """{"status":{}}""", "status.replicas", "0")]
    [InlineData("batch", "Job", """{"status":{"succeeded":2}}""", "status.successful", "2")]
    [InlineData("certificates.k8s.io", "CertificateSigningRequest", """{"spec":{"signerName":"kubernetes.io/kubelet-serving"}}""", "spec.signerName", "kubernetes.io/kubelet-serving")]
    [InlineData("resource.k8s.io", "ResourceSlice", """{"spec":{"nodeName":"n1","driver":"gpu.example.com"}}""", "spec.driver", "gpu.example.com")]
    [InlineData("", "Event", """{"involvedObject":{"kind":"Pod","name":"web-1","uid":"u1","fieldPath":"spec.containers{web}"}}""", "involvedObject.fieldPath", "spec.containers{web}")]
    [InlineData("", "Event", """{"involvedObject":{"kind":"Pod"},"reason":"BackOff","type":"Warning"}""", "reason", "BackOff")]
    [InlineData("", "Event", """{"source":{"component":"kubelet"},"reportingComponent":"kubelet-x"}""", "source", "kubelet")]
    [InlineData("", "Event", """{"source":{},"reportingComponent":"kubelet-x"}""", "source", "kubelet-x")]
    [InlineData("", "Event", """{"reportingComponent":"kubelet-x"}""", "reportingComponent", "kubelet-x")]
    [InlineData("events.k8s.io", "Event", """{"regarding":{"kind":"Pod","name":"web-1"}}""", "regarding.name", "web-1")]
    [InlineData("events.k8s.io", "Event", """{"reportingController":"ctrl","deprecatedSource":{}}""", "source", "ctrl")]
    [InlineData("events.k8s.io", "Event", """{"reportingController":"ctrl"}""", "reportingController", "ctrl")]
    [InlineData("apps", "Deployment", """{"metadata":{"name":"d","namespace":"x"}}""", "metadata.namespace", "x")]
    [InlineData("", "PersistentVolume", """{"metadata":{"name":"pv1"}}""", "metadata.namespace", "")]
    public void ExtractsKindFields(string group, string kind, string json, string field, string value)
    {
        FieldSelectorFields.Extract(group, kind, Parse(json)).Should().Contain(field, value);
    }

    [Theory]
    [InlineData("", "Pod", "spec.nodeName", true)]
    [InlineData("", "Pod", "status.podIPs", true)]
    [InlineData("", "Pod", "spec.host", true)]
    [InlineData("", "Pod", "spec.containers", false)]
    [InlineData("", "Node", "metadata.namespace", false)]
    [InlineData("", "Namespace", "status.phase", true)]
    [InlineData("", "Secret", "type", true)]
    [InlineData("", "Event", "involvedObject.uid", true)]
    [InlineData("", "Event", "regarding.uid", false)]
    [InlineData("events.k8s.io", "Event", "regarding.uid", true)]
    [InlineData("events.k8s.io", "Event", "involvedObject.uid", false)]
    [InlineData("events.k8s.io", "Event", "deprecatedSource", false)]
    [InlineData("apps", "ReplicaSet", "status.replicas", false)]
    [InlineData("apps", "Deployment", "metadata.name", true)]
    [InlineData("apps", "Deployment", "spec.replicas", false)]
    [InlineData("batch", "Job", "status.successful", true)]
    [InlineData("batch", "CronJob", "status.successful", false)]
    [InlineData("certificates.k8s.io", "CertificateSigningRequest", "metadata.namespace", false)]
    public void KnowsSupportedFields(string group, string kind, string field, bool supported)
    {
        FieldSelectorFields.IsSupported(group, kind, field).Should().Be(supported);
    }

    [Theory]
    [InlineData("", "Pod", "spec.foo", "field label not supported: spec.foo")]
    [InlineData("batch", "Job", "spec.foo", "field label \"spec.foo\" not supported for batchv1.Job")]
    [InlineData("apps", "Deployment", "spec.replicas", "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [InlineData("resource.k8s.io", "ResourceSlice", "spec.pool", "field label not supported for resource.k8s.io/v1, Kind=ResourceSlice: spec.pool")]
    public void ConvertRejectsUnsupportedFieldsWithUpstreamMessages(string group, string kind, string field, string message)
    {
        FieldSelectorFields.UnsupportedMessage(group, kind, field).Should().Be(message);
        var convert = () => FieldSelectorFields.Convert(group, kind, FieldSelector.Parse(field + "=x"));
        convert.Should().Throw<SelectorParseException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void ConvertRewritesTheLegacyPodHostAlias()
    {
        var converted = FieldSelectorFields.Convert("", "Pod", FieldSelector.Parse("spec.host=node-a,status.phase=Running"));
        converted.ToString().Should().Be("spec.nodeName=node-a,status.phase=Running");
        converted.Matches(FieldSelectorFields.Extract("", "Pod", Pod)).Should().BeTrue();
    }

    [Fact]
    public void SupportedFieldsAreListedForErrorsAndDiscovery()
    {
        FieldSelectorFields.SupportedFields("", "Secret").Should().Equal("metadata.name", "metadata.namespace", "type");
        FieldSelectorFields.SupportedFields("apps", "Deployment").Should().Equal("metadata.name", "metadata.namespace");
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
