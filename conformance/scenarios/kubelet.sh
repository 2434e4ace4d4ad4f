#!/usr/bin/env bash
# The kubelet, observed through stock kubectl, docker and the node's log files (no scheduler yet: pods name
# their node in spec.nodeName; no `kubectl exec/logs` yet: containers print what they see and the checks
# read the CRI log files under the pod log dir):
#   - the Node registers with labels, nodeInfo, Ready, and a Lease; spec.podCIDR is set here when no
#     node IPAM controller did it (K8SSHARP_POD_CIDR, 10.244.0.0/24 by default);
#   - pods run as Docker containers with an IP from the podCIDR; two pods reach each other by IP (wget, ping);
#   - readiness and liveness probes, CrashLoopBackOff, restartPolicy Never;
#   - env (configMapKeyRef, secretKeyRef, envFrom, fieldRef) and configMap/secret volumes (refreshed on change);
#   - init containers and a sidecar, emptyDir shared between them, downwardAPI and projected volumes (a bound
#     service-account token from the TokenRequest API, kube-root-ca.crt), runAsUser; termination messages (also FallbackToLogsOnError);
#     image pull failures;
#   - logs in /var/log/pods in CRI format with /var/log/containers links; deleting a pod removes its containers.
# Needs root (it reads the node's log files and asks docker about containers).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
NODE=${K8SSHARP_NODE_NAME:-$(kubectl get nodes -o 'jsonpath={.items[0].metadata.name}' 2>/dev/null)}
CIDR=${K8SSHARP_POD_CIDR:-10.244.0.0/24}
LOGS=${K8SSHARP_POD_LOG_DIR:-/var/log/pods}
export NS LOGS

expect_eventually "node $NODE is registered" "^$NODE\$" kubectl get node "$NODE" -o 'jsonpath={.metadata.name}'
if [[ -z $(kubectl get node "$NODE" -o 'jsonpath={.spec.podCIDR}' 2>/dev/null) ]]; then
  expect_success "give node $NODE the podCIDR $CIDR" \
    kubectl patch node "$NODE" --type=merge -p "{\"spec\":{\"podCIDR\":\"$CIDR\",\"podCIDRs\":[\"$CIDR\"]}}"
fi
CIDR=$(kubectl get node "$NODE" -o 'jsonpath={.spec.podCIDR}')
PREFIX=$(cut -d. -f1-3 <<<"$CIDR" | sed 's/\./\\./g')
expect_eventually "node $NODE becomes Ready" '^True KubeletReady$' \
  kubectl get node "$NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}'
expect_output "node labels" 'kubernetes.io/arch=amd64.*kubernetes.io/os=linux' kubectl get node "$NODE" --show-labels --no-headers
expect_output "node info: docker 20.10.24, kubelet v1.35.2" '^docker://20\.10\.24 v1\.35\.2 linux amd64$' \
  kubectl get node "$NODE" -o 'jsonpath={.status.nodeInfo.containerRuntimeVersion} {.status.nodeInfo.kubeletVersion} {.status.nodeInfo.operatingSystem} {.status.nodeInfo.architecture}'
expect_output "node capacity: 110 pods" '^110$' kubectl get node "$NODE" -o 'jsonpath={.status.capacity.pods}'
expect_output "node lease in kube-node-lease held by the node" "^$NODE 40\$" \
  kubectl -n kube-node-lease get lease "$NODE" -o 'jsonpath={.spec.holderIdentity} {.spec.leaseDurationSeconds}'

expect_success "create configmap cfg and secret sec" bash -c "
  kubectl -n $NS create configmap cfg --from-literal=greeting=hello-cm --from-literal=COLOR=blue &&
  kubectl -n $NS create secret generic sec --from-literal=password=s3cret"

cat >"$WORK/pods.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 5
  volumes:
  - {name: peer, configMap: {name: peer, optional: true}}
  containers:
  - name: web
    image: busybox:1.35
    command: [sh, -c, 'echo hello-from-web > /var/www/index.html; httpd -p 8080 -h /var/www;
      until [ -s /peer/ip ]; do sleep 1; done; wget -qO- http://\$(cat /peer/ip):8080/; ping -c 1 \$(cat /peer/ip); sleep 3600']
    volumeMounts: [{name: peer, mountPath: /peer}]
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: env}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  volumes:
  - {name: cfg, configMap: {name: cfg}}
  - {name: sec, secret: {secretName: sec}}
  containers:
  - name: env
    image: busybox:1.35
    command: [sh, -c, 'echo GREETING=\$GREETING PASSWORD=\$PASSWORD COLOR=\$COLOR POD_IP=\$POD_IP NODE=\$NODE_NAME;
      echo file-greeting=\$(cat /cfg/greeting) file-password=\$(cat /etc/sec/password);
      echo hello-from-env > /var/www/index.html; httpd -p 8080 -h /var/www; sleep 3600']
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: sec, key: password}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    envFrom: [{configMapRef: {name: cfg}}]
    volumeMounts:
    - {name: cfg, mountPath: /cfg}
    - {name: sec, mountPath: /etc/sec, readOnly: true}
    readinessProbe: {exec: {command: [grep, -q, hello-cm, /cfg/greeting]}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - name: live
    image: busybox:1.35
    command: [sh, -c, 'touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 3600']
    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: unready}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - name: unready
    image: busybox:1.35
    command: [sleep, "3600"]
    readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  nodeName: $NODE
  containers:
  - {name: crash, image: busybox:1.35, command: [sh, -c, 'echo crashing; exit 3']}
---
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  nodeName: $NODE
  restartPolicy: Never
  containers:
  - {name: once, image: busybox:1.35, command: [sh, -c, 'echo done-once']}
---
apiVersion: v1
kind: Pod
metadata: {name: feat, labels: {tier: backend}}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 2
  initContainers:
  - {name: init, image: busybox:1.35, command: [sh, -c, 'echo from-init > /work/init.txt'], volumeMounts: [{name: work, mountPath: /work}]}
  - name: side
    image: busybox:1.35
    restartPolicy: Always
    command: [sh, -c, 'echo from-sidecar > /work/side.txt; sleep 3600']
    volumeMounts: [{name: work, mountPath: /work}]
  volumes:
  - {name: work, emptyDir: {}}
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: cpu, resourceFieldRef: {containerName: main, resource: limits.cpu, divisor: 1m}}]}}
  - name: api
    projected:
      sources:
      - serviceAccountToken: {path: token, expirationSeconds: 3600}
      - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
  containers:
  - name: main
    image: busybox:1.35
    command: [sh, -c, 'until [ -s /work/side.txt ]; do sleep 1; done; echo \$(cat /work/init.txt) \$(cat /work/side.txt) \$(cat /info/labels) cpu=\$(cat /info/cpu) uid=\$(id -u);
      echo token-parts=\$(awk -F. "{print NF}" /api/token) ca=\$(head -1 /api/ca.crt); sleep 3600']
    resources: {limits: {cpu: 500m, memory: 64Mi}}
    securityContext: {runAsUser: 1000}
    volumeMounts:
    - {name: work, mountPath: /work}
    - {name: info, mountPath: /info}
    - {name: api, mountPath: /api}
---
apiVersion: v1
kind: Pod
metadata: {name: message}
spec:
  nodeName: $NODE
  restartPolicy: Never
  containers:
  - {name: main, image: busybox:1.35, command: [sh, -c, 'echo goodbye-message > /dev/termination-log; exit 4']}
---
apiVersion: v1
kind: Pod
metadata: {name: fallback}
spec:
  nodeName: $NODE
  restartPolicy: Never
  containers:
  - {name: main, image: busybox:1.35, terminationMessagePolicy: FallbackToLogsOnError, command: [sh, -c, 'echo first-line; echo last-words; exit 3']}
---
apiVersion: v1
kind: Pod
metadata: {name: nopull}
spec:
  nodeName: $NODE
  containers:
  - {name: main, image: k8ssharp.invalid/nothing:1, imagePullPolicy: IfNotPresent}
YAML
expect_success "create pods web, env, live, unready, crash, once, feat, message, nopull on $NODE" "${k[@]}" apply -f "$WORK/pods.yaml"

expect_eventually "web runs with an IP from the podCIDR $CIDR" "^Running $PREFIX\\.[0-9]+\$" \
  "${k[@]}" get pod web -o 'jsonpath={.status.phase} {.status.podIP}'
expect_success "kubectl wait --for=condition=Ready pod/web" "${k[@]}" wait --for=condition=Ready pod/web --timeout=25s
expect_eventually "env runs with an IP from the podCIDR" "^Running $PREFIX\\.[0-9]+\$" \
  "${k[@]}" get pod env -o 'jsonpath={.status.phase} {.status.podIP}'
expect_success "kubectl wait --for=condition=Ready pod/env (exec readiness probe reads the configMap volume)" \
  "${k[@]}" wait --for=condition=Ready pod/env --timeout=25s
WEB_IP=$("${k[@]}" get pod web -o 'jsonpath={.status.podIP}')
ENV_IP=$("${k[@]}" get pod env -o 'jsonpath={.status.podIP}')
ENV_UID=$("${k[@]}" get pod env -o 'jsonpath={.metadata.uid}')
WEB_UID=$("${k[@]}" get pod web -o 'jsonpath={.metadata.uid}')
note "web $WEB_IP, env $ENV_IP"
expect_output "the pods have different IPs" '^different$' bash -c "[[ '$WEB_IP' != '$ENV_IP' ]] && echo different"

# CRI log file of a pod's container: $LOGS/<ns>_<pod>_<uid>/<container>/<restartCount>.log
envlog="$LOGS/${NS}_env_${ENV_UID}/env/0.log"
expect_eventually "env sees configMapKeyRef, secretKeyRef, envFrom and fieldRef values (its log file)" \
  "stdout F GREETING=hello-cm PASSWORD=s3cret COLOR=blue POD_IP=$ENV_IP NODE=$NODE\$" cat "$envlog"
expect_eventually "env reads the configMap and secret volumes" 'stdout F file-greeting=hello-cm file-password=s3cret$' cat "$envlog"
expect_output "log lines are in CRI format" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z stdout F GREETING=' cat "$envlog"
expect_output "/var/log/containers links to the log file" "$envlog" bash -c "readlink $(dirname "$LOGS")/containers/env_${NS}_env-*.log"

expect_success "tell web the IP of env (through an optional configMap volume that web already mounts)" \
  "${k[@]}" create configmap peer --from-literal=ip="$ENV_IP"
weblog="$LOGS/${NS}_web_${WEB_UID}/web/0.log"
expect_eventually "web fetches env's page by IP (wget)" 'stdout F hello-from-env$' cat "$weblog"
expect_eventually "web pings env by IP" '1 packets received' cat "$weblog"
expect_success "edit ConfigMap cfg (greeting=changed)" "${k[@]}" patch configmap cfg --type=merge -p '{"data":{"greeting":"changed"}}'
expect_eventually "the change reaches env's configMap volume (its watch enqueues the pod)" '^changed$' "${k[@]}" exec env -- cat /cfg/greeting
expect_eventually "and env's readiness probe, which greps the file for hello-cm, now fails" '^False$' \
  "${k[@]}" get pod env -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'

expect_eventually "a failing liveness probe restarts the container" '^[1-9][0-9]*$' \
  "${k[@]}" get pod live -o 'jsonpath={.status.containerStatuses[0].restartCount}'
expect_output "the kubelet reports Unhealthy and Killing events" 'Unhealthy.*Liveness probe failed|Killing.*failed liveness probe' \
  "${k[@]}" get events --field-selector involvedObject.name=live -o 'custom-columns=R:.reason,M:.message' --no-headers
expect_eventually "a failing readiness probe keeps the pod Running but not Ready" '^Running False false$' \
  "${k[@]}" get pod unready -o 'jsonpath={.status.phase} {.status.conditions[?(@.type=="Ready")].status} {.status.containerStatuses[0].ready}'
expect_eventually "a crashing container goes CrashLoopBackOff" '^CrashLoopBackOff 3 Error$' \
  "${k[@]}" get pod crash -o 'jsonpath={.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}'
expect_output "kubectl get shows CrashLoopBackOff" 'crash +0/1 +CrashLoopBackOff' "${k[@]}" get pod crash --no-headers
expect_eventually "restartPolicy Never: the pod ends Succeeded with reason Completed" '^Succeeded Completed$' \
  "${k[@]}" get pod once -o 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.reason}'

expect_eventually "init container, then sidecar, then main: Initialized and 2/2 ready" '^True 2/2$' bash -c \
  "kubectl -n $NS get pod feat -o 'jsonpath={.status.conditions[?(@.type==\"Initialized\")].status} ' && kubectl -n $NS get pod feat --no-headers | awk '{print \$2}'"
FEAT_UID=$("${k[@]}" get pod feat -o 'jsonpath={.metadata.uid}')
expect_eventually "emptyDir shared with init and sidecar, downwardAPI labels and limits, runAsUser" \
  'stdout F from-init from-sidecar tier="backend" cpu=500 uid=1000$' cat "$LOGS/${NS}_feat_${FEAT_UID}/main/0.log"
expect_eventually "projected volume: a bound service-account token (a JWT) and the cluster CA" \
  'stdout F token-parts=3 ca=-----BEGIN CERTIFICATE-----$' cat "$LOGS/${NS}_feat_${FEAT_UID}/main/0.log"
expect_eventually "the termination message file becomes the terminated state's message" '^Failed 4 Error goodbye-message$' \
  "${k[@]}" get pod message -o 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.message}'
expect_eventually "FallbackToLogsOnError: a failed container without a message file reports the tail of its log" \
  '^Failed 3 first-line last-words$' bash -c "kubectl -n $NS get pod fallback -o 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.message}' | tr '\n' ' ' | sed 's/ *\$//'"
expect_eventually "an image that cannot be pulled waits in ErrImagePull / ImagePullBackOff" '^(ErrImagePull|ImagePullBackOff)$' \
  "${k[@]}" get pod nopull -o 'jsonpath={.status.containerStatuses[0].state.waiting.reason}'

expect_output "web's containers carry the dockershim labels and this node's name" "^web $NS podsandbox $NODE\$" \
  docker ps --filter "label=io.kubernetes.pod.uid=$WEB_UID" --filter label=io.kubernetes.docker.type=podsandbox \
  --format '{{.Label "io.kubernetes.pod.name"}} {{.Label "io.kubernetes.pod.namespace"}} {{.Label "io.kubernetes.docker.type"}} {{.Label "io.k8ssharp.node"}}'
expect_success "delete pod web (graceful)" "${k[@]}" delete pod web --timeout=25s
expect_no_output "deleting the pod removed its containers" '.' docker ps -aq --filter "label=io.kubernetes.pod.uid=$WEB_UID"
expect_output "and its log directory" '^gone$' bash -c "[[ ! -e $LOGS/${NS}_web_${WEB_UID} ]] && echo gone"
expect_success "delete the other pods" "${k[@]}" delete pod env live unready crash once feat message nopull --timeout=25s

# --- the kubelet's own server: bearer tokens (TokenReview) and authorization (SubjectAccessReview) on nodes/<sub> ---
KUBELET=https://127.0.0.1:${K8SSHARP_KUBELET_PORT:-10250}
cr=k8ss-kubelet-metrics-$NS
expect_success "ServiceAccounts scraper (granted nodes/metrics) and stranger" \
  bash -c "kubectl -n $NS create sa scraper && kubectl -n $NS create sa stranger && kubectl create clusterrole $cr --verb=get --resource=nodes/metrics && kubectl create clusterrolebinding $cr --clusterrole=$cr --serviceaccount=$NS:scraper"
SCRAPER=$(kubectl -n "$NS" create token scraper 2>/dev/null)
STRANGER=$(kubectl -n "$NS" create token stranger 2>/dev/null)
expect_eventually "a token granted nodes/metrics reads the kubelet's /metrics" '^200$' \
  curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SCRAPER" "$KUBELET/metrics"
expect_output "but not /pods: 403 naming the user, verb and subresource as upstream" \
  "Forbidden \(user=system:serviceaccount:$NS:scraper, verb=get, resource=nodes, subresource=proxy\)" \
  curl -sk -H "Authorization: Bearer $SCRAPER" "$KUBELET/pods"
expect_output "a token without grants is forbidden /metrics" '^403$' \
  curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $STRANGER" "$KUBELET/metrics"
expect_output "no credentials: 401" '"reason":"Unauthorized"' curl -sk "$KUBELET/pods"
expect_success "delete the ClusterRole and its binding" kubectl delete clusterrole,clusterrolebinding "$cr"

# --- emptyDir medium Memory: one tmpfs of the size limit, shared by the pod's containers -------------------------
cat >"$WORK/ram.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: ram, namespace: $NS}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: scratch, emptyDir: {medium: Memory, sizeLimit: 8Mi}}]
  containers:
  - {name: writer, image: busybox:1.35, command: [sh, -c, 'echo from-writer >/scratch/note; sleep 3600'], volumeMounts: [{name: scratch, mountPath: /scratch}]}
  - {name: reader, image: busybox:1.35, command: [sh, -c, 'sleep 3600'], volumeMounts: [{name: scratch, mountPath: /scratch}]}
YAML
expect_success "create a pod with a Memory emptyDir in two containers" kubectl apply -f "$WORK/ram.yaml"
expect_success "it runs" kubectl -n "$NS" wait --for=condition=Ready pod/ram --timeout=60s
expect_eventually "the reader sees the writer's file (one shared tmpfs)" '^from-writer$' kubectl -n "$NS" exec ram -c reader -- cat /scratch/note
expect_output "the volume is a tmpfs of 8Mi" '^tmpfs 8192 ' \
  bash -c "kubectl -n $NS exec ram -c reader -- df -k /scratch | tail -1 | awk '{print \$1, \$2, \$6}'"
RAM_UID=$(kubectl -n "$NS" get pod ram -o 'jsonpath={.metadata.uid}' 2>/dev/null)
expect_success "delete pod ram" kubectl -n "$NS" delete pod ram --timeout=30s
expect_no_output "its tmpfs is unmounted from the host" "$RAM_UID" cat /proc/self/mounts
