#!/usr/bin/env bash
# The kubelet adopts its pods after a restart (hack/down.sh kubelet, then hack/up.sh kubelet):
#   - a running pod keeps its container (same container ID, restartCount 0) and turns Ready again once its
#     readiness probe passes (probe results do not survive the restart, as upstream's prober);
#   - a pod deleted gracefully while the kubelet was down (Terminating) is killed and removed when it is back;
#   - a pod force-deleted while the kubelet was down (gone from the API) has its orphaned containers removed.
# Restarts only the kubelet of the cluster under test (the pids of .k8ssharp/); needs root (asks docker).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
k=(kubectl -n "$NS")
NODE=${K8SSHARP_NODE_NAME:-$(kubectl get nodes -o 'jsonpath={.items[0].metadata.name}' 2>/dev/null)}

pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox:1.35
    command: [sleep, '3600']
    readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}
---
YAML
}
{ pod keep; pod graceful; pod forced; } >"$WORK/pods.yaml"

# The ids of a pod's docker containers (sandbox and containers), sorted, on one line.
containers_of() { docker ps -aq --no-trunc --filter "label=io.kubernetes.pod.uid=$1" | sort | tr '\n' ' '; }
export -f containers_of

expect_success "create pods keep, graceful and forced on $NODE" "${k[@]}" apply -f "$WORK/pods.yaml"
K8SS_STEP_TIMEOUT=90 expect_success "all three become Ready" \
  "${k[@]}" wait --for=condition=Ready pod/keep pod/graceful pod/forced --timeout=85s

keep_id=$("${k[@]}" get pod keep -o 'jsonpath={.status.containerStatuses[0].containerID}' 2>/dev/null)
keep_uid=$("${k[@]}" get pod keep -o 'jsonpath={.metadata.uid}' 2>/dev/null)
graceful_uid=$("${k[@]}" get pod graceful -o 'jsonpath={.metadata.uid}' 2>/dev/null)
forced_uid=$("${k[@]}" get pod forced -o 'jsonpath={.metadata.uid}' 2>/dev/null)
keep_containers=$(containers_of "$keep_uid")
note "keep: $keep_id; docker containers: $keep_containers"
expect_output "keep runs a sandbox and its container in docker" '^[0-9a-f]{64} [0-9a-f]{64} $' bash -c "containers_of $keep_uid"
expect_output "forced runs a sandbox and its container in docker" '^[0-9a-f]{64} [0-9a-f]{64} $' bash -c "containers_of $forced_uid"

K8SS_STEP_TIMEOUT=40 expect_success "stop the kubelet" "$ROOT/hack/down.sh" kubelet
expect_output "its containers keep running without it" '^[0-9a-f]{64} [0-9a-f]{64} $' \
  bash -c "docker ps -q --no-trunc --filter label=io.kubernetes.pod.uid=$keep_uid | sort | tr '\n' ' '"
expect_success "delete pod graceful while the kubelet is down (it stays Terminating)" \
  "${k[@]}" delete pod graceful --wait=false
expect_output "force-delete pod forced while the kubelet is down" 'pod "forced" force deleted' \
  "${k[@]}" delete pod forced --grace-period=0 --force
expect_output "graceful waits for the kubelet: still there, with a deletionTimestamp" '^graceful [0-9TZ:-]+$' \
  "${k[@]}" get pod graceful -o 'jsonpath={.metadata.name} {.metadata.deletionTimestamp}'

K8SS_STEP_TIMEOUT=120 expect_success "start the kubelet again" "$ROOT/hack/up.sh" kubelet

K8SS_STEP_TIMEOUT=60 expect_success "keep is Ready again after its readiness probe passes" \
  "${k[@]}" wait --for=condition=Ready pod/keep --timeout=55s
expect_output "keep kept its container ID and restartCount 0 (adopted, not restarted)" "^${keep_id:-none} 0 true\$" \
  "${k[@]}" get pod keep -o 'jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}'
expect_output "keep's docker containers are the same ones" "^${keep_containers:-none}\$" bash -c "containers_of $keep_uid"
K8SS_STEP_TIMEOUT=60 expect_eventually "graceful is killed and deleted once the kubelet is back" '^gone$' \
  bash -c "kubectl -n $NS get pod graceful -o name 2>&1 | grep -q NotFound && echo gone"
K8SS_STEP_TIMEOUT=60 expect_eventually "graceful's containers are removed" '^removed$' \
  bash -c "[[ -z \$(containers_of $graceful_uid) ]] && echo removed"
K8SS_STEP_TIMEOUT=60 expect_eventually "forced's orphaned containers are removed" '^removed$' \
  bash -c "[[ -z \$(containers_of $forced_uid) ]] && echo removed"
expect_success "delete pod keep" "${k[@]}" delete pod keep --wait=false
