using System.Text;

namespace K8sSharp.Bench;

/// <summary>
/// Realistic request bodies: a ~1 KiB ConfigMap and a ~4 KiB Deployment-style Pod (two containers, env, probes, volumes).
/// The pods are inert, so that the create, list, get and memory scenarios measure the API server alone although the
/// bench's cluster runs the scheduler, kubelet and controller-manager: their <c>schedulerName</c> is one no scheduler
/// serves and they have no <c>nodeName</c> (never bound, so no kubelet starts them), and their owner reference names
/// their own Namespace (an owner that exists, so the garbage collector, which deletes dependents of missing owners,
/// leaves them alone; no workload controller manages a Namespace-owned pod).
/// </summary>
internal static class Payloads
{
    /// <summary>A scheduler name no scheduler of the cluster serves.</summary>
    public const string NoScheduler = "k8ssharp-bench-unscheduled";

    private const string SampleUid = "7f3c2a10-5b1e-4d5f-9a0e-1c2d3e4f5a6b";

    public static string SizeOf(string kind) => $"{(kind == "Pod" ? Pod("bench-namespace-name", "o0000", SampleUid) : ConfigMap("bench-namespace-name", "o0000")).Length} B";

    public static byte[] ConfigMap(string ns, string name)
    {
        var filler = new string('x', 900);
        return Encoding.UTF8.GetBytes(
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"bench","tier":"config"}},"data":{"settings.conf":"{{{filler}}}","mode":"benchmark"}}""");
    }

    /// <param name="namespaceUid">The uid of the pod's Namespace, its owner.</param>
    public static byte[] Pod(string ns, string name, string namespaceUid, bool selected = false)
    {
        var env = string.Join(",", Enumerable.Range(0, 12).Select(i => $$$"""{"name":"ENV_VARIABLE_NUMBER_{{{i}}}","value":"value-of-environment-variable-{{{i}}}-for-the-benchmark"}"""));
        var sel = selected ? ",\"bench-selected\":\"yes\"" : string.Empty;
        return Encoding.UTF8.GetBytes($$$"""
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}",
"labels":{"app":"bench-web","pod-template-hash":"5d8f7c9b6d","tier":"frontend","version":"v1.2.3"{{{sel}}}},
"annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9090","kubectl.kubernetes.io/default-container":"web","bench/description":"a pod shaped like one a Deployment creates, used to measure create, get, list and watch"},
"ownerReferences":[{"apiVersion":"v1","kind":"Namespace","name":"{{{ns}}}","uid":"{{{namespaceUid}}}","blockOwnerDeletion":false}]},
"spec":{"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","schedulerName":"{{{NoScheduler}}}",
"securityContext":{"runAsNonRoot":true,"runAsUser":1000,"fsGroup":2000},
"containers":[{"name":"web","image":"registry.example.com/team/bench-web:1.2.3","imagePullPolicy":"IfNotPresent",
"args":["--listen=:8080","--metrics=:9090","--log-level=info","--config=/etc/bench/settings.conf"],
"ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
"env":[{{{env}}}],
"resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}},
"livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"periodSeconds":10,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
"readinessProbe":{"httpGet":{"path":"/readyz","port":8080,"scheme":"HTTP"},"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
"volumeMounts":[{"name":"config","mountPath":"/etc/bench","readOnly":true},{"name":"cache","mountPath":"/var/cache/bench"}],
"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
{"name":"sidecar","image":"registry.example.com/team/log-shipper:4.5.6","imagePullPolicy":"IfNotPresent","args":["--input=/var/log/bench","--output=stdout"],
"resources":{"requests":{"cpu":"10m","memory":"32Mi"},"limits":{"cpu":"100m","memory":"64Mi"}},
"volumeMounts":[{"name":"logs","mountPath":"/var/log/bench"}],"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
"volumes":[{"name":"config","configMap":{"name":"bench-web-config","defaultMode":420}},{"name":"cache","emptyDir":{}},{"name":"logs","emptyDir":{"sizeLimit":"1Gi"}}],
"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
"affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"bench-web"}},"topologyKey":"kubernetes.io/hostname"}}]} } } }
""".Replace("\n", string.Empty, StringComparison.Ordinal));
    }
}
