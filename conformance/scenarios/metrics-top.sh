#!/usr/bin/env bash
# The resource metrics API (metrics.k8s.io/v1beta1, served by the API server from the kubelets' /metrics/resource,
# as metrics-server does) and `kubectl top`:
#   - discovery lists nodes and pods of the group; the raw NodeMetricsList parses;
#   - `kubectl top node` prints the node with CPU and memory figures;
#   - a busy pod (a shell loop, limited to 200m) shows more CPU than an idle one in `kubectl top pod`, with
#     --containers, -l, --sort-by=cpu and -A.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

expect_output "discovery lists NodeMetrics and PodMetrics" 'nodes +metrics\.k8s\.io/v1beta1 +false +NodeMetrics.*pods +metrics\.k8s\.io/v1beta1 +true +PodMetrics' \
  bash -c "kubectl api-resources --api-group=metrics.k8s.io --no-headers | tr '\n' ' '"

pod() { # name command cpu-limit
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {role: $1}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, '$2']
    resources: {limits: {cpu: $3, memory: 32Mi}}
YAML
}
pod busy 'while :; do :; done' 200m >"$WORK/busy.yaml"
pod idle 'sleep 3600' 50m >"$WORK/idle.yaml"
expect_success "create a busy and an idle pod" "${k[@]}" apply -f "$WORK/busy.yaml" -f "$WORK/idle.yaml"
expect_success "both pods become Ready" "${k[@]}" wait --for=condition=Ready pod/busy pod/idle --timeout=60s
# Usage needs two scrapes (10 s apart) after the containers started.
K8SS_STEP_TIMEOUT=60 expect_eventually "kubectl top node prints the node with CPU and memory" '^[a-z0-9.-]+ +[0-9]+m +[0-9]+% +[0-9]+Mi +[0-9]+%' \
  kubectl top node --no-headers
K8SS_STEP_TIMEOUT=60 expect_eventually "the busy pod's CPU shows in kubectl top pod" '^busy +([1-9][0-9]|[1-2][0-9][0-9])m ' \
  "${k[@]}" top pod busy --no-headers
expect_output "--sort-by=cpu puts the busy pod first, the idle one uses next to nothing" '^busy [0-9]+m [0-9]+Mi idle [0-9]m [0-9]+Mi $' \
  bash -c "kubectl -n $NS top pod --no-headers --sort-by=cpu | tr -s ' \n' ' '"
expect_output "--containers names each container" '^busy +main +[0-9]+m +[0-9]+Mi' "${k[@]}" top pod busy --containers --no-headers
expect_output "-l selects by the pods' labels" '^idle ' "${k[@]}" top pod -l role=idle --no-headers
expect_no_output "-l leaves the other pods out" '^busy ' "${k[@]}" top pod -l role=idle --no-headers
expect_output "-A shows the namespace" "^$NS +busy " kubectl top pod -A --no-headers
expect_output "the raw PodMetrics carry timestamp, window and usage" '"kind":"PodMetrics".*"window":"[0-9.]+m?s".*"usage":\{"cpu":"[0-9]+[num]?","memory":"[0-9]+(Ki|Mi)?"\}' \
  kubectl get --raw "/apis/metrics.k8s.io/v1beta1/namespaces/$NS/pods/busy"
expect_output "the raw NodeMetricsList parses" '^NodeMetricsList [0-9]+' \
  bash -c "kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"kind\"], len(d[\"items\"]))'"
expect_success "delete the pods" "${k[@]}" delete pod busy idle --wait=false
