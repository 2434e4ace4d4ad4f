using K8sSharp.Api.Printing;
using static K8sSharp.Api.Tests.Printing.PrinterTestSupport;

namespace K8sSharp.Api.Tests.Printing;

public class ExtraPrinterTests
{
    [Fact]
    public void CertificateSigningRequest()
    {
        Row("certificates.k8s.io", "CertificateSigningRequest", Parse("""
            {"metadata":{"name":"csr-1","creationTimestamp":"AGO:30"},
             "spec":{"signerName":"kubernetes.io/kube-apiserver-client","username":"alice","expirationSeconds":86400},
             "status":{"conditions":[{"type":"Approved","status":"True"}],"certificate":"LS0t"}}
            """)).Should().Equal("csr-1", "30s", "kubernetes.io/kube-apiserver-client", "alice", "24h", "Approved,Issued");
        Row("certificates.k8s.io", "CertificateSigningRequest", Parse("""{"metadata":{"name":"c"},"spec":{}}"""))
            .Should().Equal("c", "<unknown>", "<none>", "", "<none>", "Pending");
    }

    [Fact]
    public void ResourceQuotaSplitsRequestsAndLimits()
    {
        Row("", "ResourceQuota", Parse("""
            {"metadata":{"name":"q"},"status":{
              "hard":{"requests.cpu":"2","limits.memory":"4Gi","pods":"10","limits.cpu":"4"},
              "used":{"requests.cpu":"500m","limits.memory":"1Gi","pods":"3"}}}
            """)).Should().Equal("q", "<unknown>", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 0/4, limits.memory: 1Gi/4Gi");
    }

    [Fact]
    public void ControllerRevisionNamesItsController()
    {
        Row("apps", "ControllerRevision", Parse("""
            {"metadata":{"name":"web-5d4f","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","controller":true}]},
             "revision":3}
            """)).Should().Equal("web-5d4f", "statefulset.apps/web", 3L, "<unknown>");
    }

    [Fact]
    public void NetworkingKinds()
    {
        Row("networking.k8s.io", "IngressClass", Parse("""
            {"metadata":{"name":"nginx"},"spec":{"controller":"k8s.io/ingress-nginx",
              "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}
            """)).Should().Equal("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "<unknown>");
        Row("networking.k8s.io", "NetworkPolicy", Parse("""{"metadata":{"name":"deny"},"spec":{"podSelector":{}}}"""))
            .Should().Equal("deny", "<none>", "<unknown>");
        Row("networking.k8s.io", "IPAddress", Parse("""
            {"metadata":{"name":"10.96.0.1"},"spec":{"parentRef":{"group":"","resource":"services","namespace":"default","name":"kubernetes"}}}
            """)).Should().Equal("10.96.0.1", "services/default/kubernetes", "<unknown>");
    }

    [Fact]
    public void AggregatedApiServices()
    {
        Row("apiregistration.k8s.io", "APIService", Parse("""
            {"metadata":{"name":"v1beta1.metrics.k8s.io"},"spec":{"service":{"namespace":"kube-system","name":"metrics-server"}},
             "status":{"conditions":[{"type":"Available","status":"False","reason":"MissingEndpoints"}]}}
            """)).Should().Equal("v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "<unknown>");
        Row("apiregistration.k8s.io", "APIService", Parse("""
            {"metadata":{"name":"v1.apps"},"status":{"conditions":[{"type":"Available","status":"True","reason":"Local"}]}}
            """)).Should().Equal("v1.apps", "Local", "True", "<unknown>");
    }

    [Fact]
    public void StorageDriversAndFlowControl()
    {
        Row("storage.k8s.io", "CSIDriver", Parse("""
            {"metadata":{"name":"ebs.csi.aws.com"},"spec":{"attachRequired":true,"volumeLifecycleModes":["Persistent","Ephemeral"]}}
            """)).Should().Equal("ebs.csi.aws.com", true, false, false, "<unset>", false, "Persistent,Ephemeral", "<unknown>");
        Row("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", Parse("""
            {"metadata":{"name":"workload-low"},"spec":{"type":"Limited","limited":{"nominalConcurrencyShares":100,
              "limitResponse":{"type":"Queue","queuing":{"queues":128,"handSize":6,"queueLengthLimit":50}}}}}
            """)).Should().Equal("workload-low", "Limited", 100L, 128L, 6L, 50L, "<unknown>");
        Row("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", Parse("""{"metadata":{"name":"exempt"},"spec":{"type":"Exempt"}}"""))
            .Should().Equal("exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "<unknown>");
        Row("flowcontrol.apiserver.k8s.io", "FlowSchema", Parse("""
            {"metadata":{"name":"exempt"},"spec":{"priorityLevelConfiguration":{"name":"exempt"},"matchingPrecedence":1},
             "status":{"conditions":[{"type":"Dangling","status":"False"}]}}
            """)).Should().Equal("exempt", "exempt", 1L, "<none>", "<unknown>", "False");
    }
}
