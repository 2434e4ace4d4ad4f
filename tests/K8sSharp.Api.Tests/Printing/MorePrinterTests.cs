using K8sSharp.Api.Printing;
using static K8sSharp.Api.Tests.Printing.PrinterTestSupport;

namespace K8sSharp.Api.Tests.Printing;

public class MorePrinterTests
{
    [Fact]
    public void NodeWithRolesAndCordon()
    {
        var node = Parse("""
            {"metadata":{"name":"cp-1","labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"master","node-role.kubernetes.io/":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
               "addresses":[{"type":"InternalIP","address":"192.168.1.10"},{"type":"Hostname","address":"cp-1"}],
               "nodeInfo":{"kubeletVersion":"v1.35.0","osImage":"Debian GNU/Linux 12","containerRuntimeVersion":"containerd://2.0.0"}}}
            """);
        Row("", "Node", node).Should().Equal(
            "cp-1", "Ready,SchedulingDisabled", "control-plane,master", "<unknown>", "v1.35.0", "192.168.1.10", "<none>",
            "Debian GNU/Linux 12", "<unknown>", "containerd://2.0.0");
    }

    [Fact]
    public void StatefulSetDaemonSetReplicaSetAndReplicationController()
    {
        const string template = """
            "template":{"spec":{"containers":[{"name":"c","image":"i"}],"nodeSelector":{"os":"linux"}}}
            """;
        static System.Text.Json.Nodes.JsonObject With(string json, string template) => Parse(json.Replace("TEMPLATE", template, StringComparison.Ordinal));
        Row("apps", "StatefulSet", With("""{"metadata":{"name":"db"},"spec":{"replicas":3,TEMPLATE},"status":{"readyReplicas":1}}""", template))
            .Should().Equal("db", "1/3", "<unknown>", "c", "i");
        Row("apps", "DaemonSet", With("""
            {"metadata":{"name":"ds"},"spec":{"selector":{"matchLabels":{"k":"v"}},TEMPLATE},
             "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":3,"numberAvailable":2}}
            """, template)).Should().Equal("ds", 3L, 3L, 2L, 3L, 2L, "os=linux", "<unknown>", "c", "i", "k=v");
        Row("apps", "ReplicaSet", With("""{"metadata":{"name":"rs"},"spec":{"replicas":2,TEMPLATE},"status":{"replicas":2,"readyReplicas":2}}""", template))
            .Should().Equal("rs", 2L, 2L, 2L, "<unknown>", "c", "i", "<none>");
        Row("", "ReplicationController", Parse("""{"metadata":{"name":"rc"},"spec":{"selector":{"app":"x"}},"status":{"replicas":1}}"""))
            .Should().Equal("rc", 1L, 1L, 0L, "<unknown>", "", "", "app=x");
    }

    [Fact]
    public void CronJobConfigAndSecrets()
    {
        Row("batch", "CronJob", Parse("""
            {"metadata":{"name":"nightly"},"spec":{"schedule":"0 2 * * *","timeZone":"Etc/UTC","suspend":false,
              "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"backup:2"}]}}}}},
             "status":{"active":[{"name":"nightly-1"}],"lastScheduleTime":"AGO:36000"}}
            """)).Should().Equal("nightly", "0 2 * * *", "Etc/UTC", "False", 1L, "10h", "<unknown>", "b", "backup:2", "<none>");
        Row("", "ConfigMap", Parse("""{"metadata":{"name":"cm"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}"""))
            .Should().Equal("cm", 3L, "<unknown>");
        Row("", "Secret", Parse("""{"metadata":{"name":"s"},"type":"Opaque","data":{"a":"MQ=="},"stringData":{"a":"1","b":"2"}}"""))
            .Should().Equal("s", "Opaque", 2L, "<unknown>");
        Row("", "ServiceAccount", Parse("""{"metadata":{"name":"default"}}""")).Should().Equal("default", 0L, "<unknown>");
        Row("", "Namespace", Parse("""{"metadata":{"name":"kube-system"},"status":{"phase":"Active"}}"""))
            .Should().Equal("kube-system", "Active", "<unknown>");
    }

    [Fact]
    public void EndpointsSlicesAndIngress()
    {
        Row("", "Endpoints", Parse("""
            {"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"fd00::2"}],"ports":[{"port":80},{"port":443}]}]}
            """)).Should().Equal("web", "10.0.0.1:80,[fd00::2]:80,10.0.0.1:443 + 1 more...", "<unknown>");
        Row("", "Endpoints", Parse("""{"metadata":{"name":"none"}}""")).Should().Equal("none", "<none>", "<unknown>");
        Row("discovery.k8s.io", "EndpointSlice", Parse("""
            {"metadata":{"name":"web-abc"},"addressType":"IPv4","ports":[{"port":80},{"name":"metrics"},{}],
             "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2"]}]}
            """)).Should().Equal("web-abc", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2", "<unknown>");
        Row("networking.k8s.io", "Ingress", Parse("""
            {"metadata":{"name":"ing"},"spec":{"ingressClassName":"nginx","tls":[{}],
              "rules":[{"host":""},{"host":"a.example.com"},{"host":"b.example.com"},{"host":"c.example.com"},{"host":"d.example.com"}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"}]}}}
            """)).Should().Equal("ing", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "203.0.113.9", "80, 443", "<unknown>");
    }

    [Fact]
    public void VolumesAndClaims()
    {
        Row("", "PersistentVolume", Parse("""
            {"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce"],
              "persistentVolumeReclaimPolicy":"Retain","storageClassName":"fast","claimRef":{"namespace":"db","name":"data"}},
             "status":{"phase":"Bound"}}
            """)).Should().Equal("pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "db/data", "fast", "<unset>", "", "<unknown>", "<unset>");
        Row("", "PersistentVolumeClaim", Parse("""
            {"metadata":{"name":"data"},"spec":{"volumeName":"pv1","storageClassName":"fast","volumeMode":"Filesystem"},
             "status":{"phase":"Bound","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"]}}
            """)).Should().Equal("data", "Bound", "pv1", "10Gi", "RWO", "fast", "<unset>", "<unknown>", "Filesystem");
        Row("", "PersistentVolumeClaim", Parse("""
            {"metadata":{"name":"new","annotations":{"volume.beta.kubernetes.io/storage-class":"legacy"}},
             "spec":{"storageClassName":"fast"},"status":{"phase":"Pending"}}
            """)).Should().Equal("new", "Pending", "", "", "", "legacy", "<unset>", "<unknown>", "<unset>");
    }

    [Fact]
    public void AutoscalersBindingsAndSchedulingObjects()
    {
        Row("autoscaling", "HorizontalPodAutoscaler", Parse("""
            {"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":10,
              "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},
                         {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}},
                         {"type":"External","external":{"metric":{"name":"q"},"target":{"type":"Value","value":"30"}}}]},
             "status":{"currentReplicas":3,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45}}}]}}
            """)).Should().Equal("web", "Deployment/web", "cpu: 45%/80%, <unknown>/1k + 1 more...", "2", 10L, 3L, "<unknown>");
        Row("autoscaling", "HorizontalPodAutoscaler", Parse("""
            {"metadata":{"name":"v1"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":4,"targetCPUUtilizationPercentage":50}}
            """)).Should().Equal("v1", "Deployment/x", "cpu: <unknown>/50%", "<unset>", 4L, 0L, "<unknown>");
        Row("rbac.authorization.k8s.io", "RoleBinding", Parse("""
            {"metadata":{"name":"rb"},"roleRef":{"kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},{"kind":"User","name":"bob"},
                         {"kind":"ServiceAccount","name":"ci","namespace":"tools"}]}
            """)).Should().Equal("rb", "ClusterRole/view", "<unknown>", "alice, bob", "devs", "tools/ci");
        Row("storage.k8s.io", "StorageClass", Parse("""
            {"metadata":{"name":"standard","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"rancher.io/local-path"}
            """)).Should().Equal("standard (default)", "rancher.io/local-path", "Delete", "Immediate", false, "<unknown>");
        Row("policy", "PodDisruptionBudget", Parse("""{"metadata":{"name":"p"},"spec":{"minAvailable":"50%"},"status":{"disruptionsAllowed":1}}"""))
            .Should().Equal("p", "50%", "N/A", 1L, "<unknown>");
        Row("scheduling.k8s.io", "PriorityClass", Parse("""{"metadata":{"name":"system-node-critical"},"value":2000001000,"preemptionPolicy":"PreemptLowerPriority"}"""))
            .Should().Equal("system-node-critical", 2000001000L, false, "<unknown>", "PreemptLowerPriority");
        Row("coordination.k8s.io", "Lease", Parse("""{"metadata":{"name":"kube-scheduler"},"spec":{"holderIdentity":"cp-1_abc"}}"""))
            .Should().Equal("kube-scheduler", "cp-1_abc", "<unknown>");
    }
}
