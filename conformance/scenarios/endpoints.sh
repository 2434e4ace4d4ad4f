#!/usr/bin/env bash
# EndpointSlice, Endpoints, node IPAM and node lifecycle controllers, observed through stock kubectl. There is no
# kubelet here: the scenario plays it, creating fake Nodes, writing pod and node status by hand and renewing (or not)
# the nodes' Leases in kube-node-lease.
#   - a Service's ready pods appear in its EndpointSlices (ready=true) and its Endpoints; a pod made unready flips
#     to ready=false / notReadyAddresses;
#   - a Node gets spec.podCIDR, a /24 of 10.244.0.0/16;
#   - a Node whose Lease is no longer renewed turns Ready=Unknown (NodeStatusUnknown) after the 40 s grace period,
#     gets the unreachable NoSchedule and NoExecute taints, and its pods turn NotReady (so their endpoints too).
# The Nodes are cluster-scoped, so they are named after $NS and deleted at the end.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
alive=$NS-alive
silent=$NS-silent

now_micro() { date -u +%Y-%m-%dT%H:%M:%S.%6NZ; }
now_sec() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# A fake kubelet's registration: the Node, its Lease and a Ready condition.
register_node() {
  local name=$1
  kubectl create -f - <<YAML >/dev/null
apiVersion: v1
kind: Node
metadata:
  name: $name
  labels: {k8ssharp.io/fake-node: "true", topology.kubernetes.io/zone: $NS}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: $name
  namespace: kube-node-lease
spec:
  holderIdentity: $name
  leaseDurationSeconds: 40
  renewTime: "$(now_micro)"
YAML
  kubectl patch node "$name" --subresource=status --type=merge \
    -p "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\"$(now_sec)\",\"lastTransitionTime\":\"$(now_sec)\"}]}}" >/dev/null
}

renew_lease() { kubectl -n kube-node-lease patch lease "$1" --type=merge -p "{\"spec\":{\"renewTime\":\"$(now_micro)\"}}" >/dev/null 2>&1; }

cleanup() {
  [[ -n ${renewer:-} ]] && kill "$renewer" 2>/dev/null
  kubectl delete node "$alive" "$silent" --ignore-not-found --wait=false >/dev/null 2>&1
  kubectl -n kube-node-lease delete lease "$alive" "$silent" --ignore-not-found >/dev/null 2>&1
}
trap cleanup EXIT

expect_success "register fake nodes $alive and $silent (Node, Lease, Ready status)" \
  bash -c "$(declare -f now_micro now_sec register_node); NS='$NS'; register_node '$alive' && register_node '$silent'"
# The live node's kubelet keeps renewing its Lease; the silent one's never does again.
(while sleep 5; do renew_lease "$alive"; done) &
renewer=$!

expect_eventually "node $alive gets a /24 pod CIDR of 10.244.0.0/16" '^10\.244\.[0-9]+\.0/24 10\.244\.[0-9]+\.0/24$' \
  kubectl get node "$alive" -o 'jsonpath={.spec.podCIDR} {.spec.podCIDRs[0]}'
expect_output "the two nodes got different pod CIDRs" '^different$' bash -c "
  a=\$(kubectl get node '$alive' -o 'jsonpath={.spec.podCIDR}'); s=\$(kubectl get node '$silent' -o 'jsonpath={.spec.podCIDR}')
  [[ -n \$a && -n \$s && \$a != \$s ]] && echo different"

mkdir -p "$WORK/manifests"
pod_yaml() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: x}}
spec:
  nodeName: $2
  containers:
  - name: main
    image: busybox
    ports: [{name: http, containerPort: 8080}]
YAML
  echo ---
}
{
  cat <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: x}
spec:
  selector: {app: x}
  ports: [{name: web, port: 80, targetPort: http}]
---
YAML
  pod_yaml x-1 "$alive"
  pod_yaml x-2 "$alive"
  pod_yaml x-3 "$silent"
} >"$WORK/manifests/x.yaml"
expect_success "create Service x (targetPort http) and pods x-1, x-2 on $alive, x-3 on $silent" "${k[@]}" apply -f "$WORK/manifests/x.yaml"

set_pod() { # name ip ready
  kubectl -n "$NS" patch pod "$1" --subresource=status --type=merge \
    -p "{\"status\":{\"phase\":\"Running\",\"podIP\":\"$2\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$3\",\"lastTransitionTime\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}]}}" >/dev/null
}
expect_success "the pods start running and turn ready (status written as a kubelet would)" bash -c "
  $(declare -f set_pod); NS='$NS'; set_pod x-1 10.244.0.5 True && set_pod x-2 10.244.0.6 True && set_pod x-3 10.244.0.7 True"

slices="kubectl -n '$NS' get endpointslices -l kubernetes.io/service-name=x -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready} {end}' | tr ' ' '\n' | sort | tr '\n' ' '"
expect_eventually "kubectl get endpointslices -l kubernetes.io/service-name=x lists the three IPs, ready" \
  '^10\.244\.0\.5=true 10\.244\.0\.6=true 10\.244\.0\.7=true $' bash -c "$slices"
expect_output "the slice is managed by the controller, owned by the Service, port 8080 resolved from the named targetPort" \
  '^endpointslice-controller\.k8s\.io Service/x 8080 IPv4$' \
  "${k[@]}" get endpointslices -l kubernetes.io/service-name=x \
  -o 'jsonpath={.items[0].metadata.labels.endpointslice\.kubernetes\.io/managed-by} {.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} {.items[0].ports[0].port} {.items[0].addressType}'
expect_eventually "kubectl get endpoints x shows the three ready addresses on port 8080" '10\.244\.0\.5:8080,10\.244\.0\.6:8080,10\.244\.0\.7:8080' \
  "${k[@]}" get endpoints x

expect_success "pod x-2 turns unready" bash -c "$(declare -f set_pod); NS='$NS'; set_pod x-2 10.244.0.6 False"
expect_eventually "its endpoint flips to ready=false" '^10\.244\.0\.5=true 10\.244\.0\.6=false 10\.244\.0\.7=true $' bash -c "$slices"
expect_eventually "kubectl get endpoints x matches: x-2 among notReadyAddresses" '^10\.244\.0\.5 10\.244\.0\.7 / 10\.244\.0\.6$' \
  "${k[@]}" get endpoints x -o 'jsonpath={.subsets[0].addresses[*].ip} / {.subsets[0].notReadyAddresses[*].ip}'
# The last-change-trigger-time annotation is not checked: a later sync without a pod change drops it, as upstream
# does, and with the whole cluster running such a sync can come before this check.
expect_output "Endpoints x carries the skip-mirror label" '^true$' \
  "${k[@]}" get endpoints x -o 'jsonpath={.metadata.labels.endpointslice\.kubernetes\.io/skip-mirror}'

note "waiting for the 40 s node monitor grace period to pass for $silent"
K8SS_STEP_TIMEOUT=75 expect_eventually "node $silent turns Ready=Unknown (NodeStatusUnknown)" \
  '^Unknown NodeStatusUnknown Kubelet stopped posting node status\.$' \
  kubectl get node "$silent" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason} {.status.conditions[?(@.type=="Ready")].message}'
expect_eventually "node $silent gets the unreachable NoSchedule and NoExecute taints" \
  'node\.kubernetes\.io/unreachable:NoExecute node\.kubernetes\.io/unreachable:NoSchedule' \
  bash -c "kubectl get node '$silent' -o 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{\"\\n\"}{end}' | sort | tr '\n' ' '"
expect_output "node $alive, whose Lease is renewed, stays Ready and untainted" '^True $' \
  kubectl get node "$alive" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.spec.taints}'
expect_eventually "pod x-3 on the unreachable node is marked NotReady" '^False$' \
  "${k[@]}" get pod x-3 -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'
expect_eventually "and its endpoint follows: ready=false" '^10\.244\.0\.5=true 10\.244\.0\.6=false 10\.244\.0\.7=false $' bash -c "$slices"

expect_success "delete Service x" "${k[@]}" delete service x
expect_eventually "its EndpointSlices and Endpoints go with it" '^0 0$' bash -c "
  echo \$(kubectl -n '$NS' get endpointslices -l kubernetes.io/service-name=x -o name | wc -l) \$(kubectl -n '$NS' get endpoints -o name | grep -c '/x\$')"
