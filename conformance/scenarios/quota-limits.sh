#!/usr/bin/env bash
# ResourceQuota and LimitRange, through stock kubectl:
#   - the resource-quota controller fills status.hard/used; a quota pods=2 rejects the 3rd pod with upstream's
#     message; `kubectl get quota` (NAME AGE REQUEST LIMIT) and `kubectl describe quota` show used/hard;
#   - deleting a pod frees its slot (the controller recalculates);
#   - a cpu/memory quota rejects a pod without requests (`failed quota: ... must specify ...`);
#   - LimitRange defaults appear on a created pod (and are charged to the quota), a max violation is rejected.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
run_pod() { printf '%q ' "${k[@]}" run "$1" --image=busybox:1.36 --restart=Never "${@:2}" -- sleep 3600; }

expect_success "create quota pods=2" "${k[@]}" create quota pods --hard=pods=2
expect_eventually "the controller fills the quota's status" '^2 0$' \
  "${k[@]}" get quota pods -o 'jsonpath={.status.hard.pods} {.status.used.pods}'
expect_success "first pod is admitted" bash -c "$(run_pod p1)"
expect_success "second pod is admitted" bash -c "$(run_pod p2)"
expect_fail_output "third pod exceeds the quota" \
  'pods "p3" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2' bash -c "$(run_pod p3)"
expect_output "kubectl get quota: NAME AGE REQUEST LIMIT with used/hard" '^NAME +AGE +REQUEST +LIMIT' "${k[@]}" get quota pods
expect_output "kubectl get quota shows pods: 2/2" '^pods +[0-9a-z]+ +pods: 2/2' "${k[@]}" get quota pods
expect_output "kubectl describe quota shows used and hard" '^pods +2 +2$' "${k[@]}" describe quota pods
expect_success "delete the first pod" "${k[@]}" delete pod p1 --grace-period=1 --wait=true
expect_eventually "the controller releases its slot" '^1$' "${k[@]}" get quota pods -o 'jsonpath={.status.used.pods}'
expect_success "the third pod is admitted now" bash -c "$(run_pod p3)"
expect_success "delete quota pods" "${k[@]}" delete quota pods

expect_success "create a cpu/memory quota" "${k[@]}" create quota compute --hard=requests.cpu=1,requests.memory=1Gi,limits.cpu=2
expect_eventually "the controller fills its status" '^0 0 0$' \
  "${k[@]}" get quota compute -o 'jsonpath={.status.used.requests\.cpu} {.status.used.requests\.memory} {.status.used.limits\.cpu}'
expect_fail_output "a pod without requests fails the quota" \
  'pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: bare; requests.cpu for: bare; requests.memory for: bare' \
  bash -c "$(run_pod bare)"

cat >"$WORK/limits.yaml" <<YAML
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 200m, memory: 64Mi}
    defaultRequest: {cpu: 100m, memory: 32Mi}
    max: {cpu: "1"}
YAML
expect_success "create a LimitRange" "${k[@]}" apply -f "$WORK/limits.yaml"
expect_success "a pod without resources is admitted with the defaults" bash -c "$(run_pod defaulted)"
expect_output "LimitRange defaults appear on the pod" '^100m 32Mi 200m 64Mi$' "${k[@]}" get pod defaulted \
  -o 'jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory} {.spec.containers[0].resources.limits.cpu} {.spec.containers[0].resources.limits.memory}'
expect_output "the limit-ranger annotation names them" 'LimitRanger plugin set: cpu, memory request for container defaulted; cpu, memory limit for container defaulted' \
  "${k[@]}" get pod defaulted -o 'jsonpath={.metadata.annotations.kubernetes\.io/limit-ranger}'
expect_eventually "the defaults are charged to the quota" '^100m 32Mi 200m$' \
  "${k[@]}" get quota compute -o 'jsonpath={.status.used.requests\.cpu} {.status.used.requests\.memory} {.status.used.limits\.cpu}'
expect_output "kubectl describe quota shows the compute usage" '^requests\.cpu +100m +1$' "${k[@]}" describe quota compute
expect_fail_output "a container above the max is rejected" \
  'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' \
  bash -c "$(run_pod big --overrides='{"spec":{"containers":[{"name":"big","image":"busybox:1.36","command":["sleep","3600"],"resources":{"limits":{"cpu":"2"}}}]}}')"
