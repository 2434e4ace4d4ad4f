#!/usr/bin/env bash
# The scheduler (k8ssharp-scheduler), observed through stock kubectl against fake Nodes (created with kubectl, with
# allocatable cpu/memory/pods in their status; no kubelet runs them, so "bound" is the end state):
#   - pods get bound (NODE in `get -o wide`) with a Scheduled event;
#   - nodeSelector and taints/tolerations steer pods; `kubectl cordon` excludes a node until uncordoned;
#   - a pod too big for every node stays Pending with PodScheduled=False/Unschedulable and a FailedScheduling event
#     in upstream's wording;
#   - a higher-priority pod (PriorityClass resolved by the API server) preempts a lower-priority one: the victim is
#     deleted with a DisruptionTarget condition, the preemptor nominated and, once the victim is gone, bound there;
#   - preemption honours a PodDisruptionBudget: of two lower-priority pods, the one a PDB (minAvailable 1) covers is
#     spared although it is the less important one, and the other becomes the victim.
# Every pod selects this run's nodes (label sched-run), so nodes of other tests or a real kubelet are never used.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

run=$(rand_suffix)
a=sched-$run-a b=sched-$run-b c=sched-$run-c
high=sched-$run-high mid=sched-$run-mid
k=(kubectl -n "$NS")

cleanup() {
  # No kubelet confirms the deletion of bound pods: finish it as a kubelet would, then remove the fake nodes.
  kubectl -n "$NS" delete pods --all --force --grace-period=0 >/dev/null 2>&1
  kubectl delete node "$a" "$b" "$c" --wait=false >/dev/null 2>&1
  kubectl delete priorityclass "$high" "$mid" --wait=false >/dev/null 2>&1
}
trap cleanup EXIT

mkdir -p "$WORK/m"
for n in a b c; do
  cat >"$WORK/m/node-$n.yaml" <<YAML
apiVersion: v1
kind: Node
metadata:
  name: sched-$run-$n
  labels: {kubernetes.io/hostname: sched-$run-$n, sched-run: "$run", role: "$n", disk: "$([[ $n == a ]] && echo ssd || echo hdd)"}
YAML
  expect_success "create fake node sched-$run-$n" kubectl apply -f "$WORK/m/node-$n.yaml"
  expect_success "give sched-$run-$n allocatable cpu 2, memory 4Gi, pods 10" kubectl patch node "sched-$run-$n" --subresource=status --type=merge \
    -p '{"status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"10"},"allocatable":{"cpu":"2","memory":"4Gi","pods":"10"}}}'
done

# The --overrides of a busybox pod NAME that selects this run's nodes: spec CPU request, node ROLE, EXTRA spec fields.
spec() {
  local name=$1 cpu=${2:-} role=${3:-} extra=${4:-} resources=''
  [[ -n $cpu ]] && resources=",\"resources\":{\"requests\":{\"cpu\":\"$cpu\"}}"
  printf '{"spec":{"nodeSelector":{"sched-run":"%s"%s},"containers":[{"name":"%s","image":"busybox"%s}]%s}}' \
    "$run" "${role:+,\"role\":\"$role\"}" "$name" "$resources" "${extra:+,$extra}"
}
node_of() { echo "kubectl -n '$NS' get pod $1 -o jsonpath='{.spec.nodeName}'"; }

expect_success "kubectl run plain" "${k[@]}" run plain --image=busybox --restart=Never --overrides="$(spec plain)"
expect_eventually "plain is bound to one of the fake nodes (NODE column)" "plain .* sched-$run-[abc] " "${k[@]}" get pod plain -o wide --no-headers
expect_eventually "plain has a Scheduled event from default-scheduler" "Successfully assigned $NS/plain to sched-$run-[abc]" \
  "${k[@]}" get events --field-selector involvedObject.name=plain,reason=Scheduled -o 'jsonpath={.items[*].message}'

expect_success "kubectl run ssd with nodeSelector disk=ssd" "${k[@]}" run ssd --image=busybox --restart=Never \
  --overrides="{\"spec\":{\"nodeSelector\":{\"sched-run\":\"$run\",\"disk\":\"ssd\"}}}"
expect_eventually "ssd is bound to the ssd node $a" "^$a\$" bash -c "$(node_of ssd)"

expect_success "taint $b dedicated=infra:NoSchedule" kubectl taint node "$b" dedicated=infra:NoSchedule
expect_success "kubectl run intolerant (nodeSelector role=b, no toleration)" "${k[@]}" run intolerant --image=busybox --restart=Never --overrides="$(spec intolerant "" b)"
expect_eventually "intolerant stays Pending: FailedScheduling names the untolerated taint" \
  '0/[0-9]+ nodes are available:.*node\(s\) had untolerated taint \{dedicated: infra\}' \
  "${k[@]}" get events --field-selector involvedObject.name=intolerant,reason=FailedScheduling -o 'jsonpath={.items[*].message}'
expect_success "kubectl run tolerant (nodeSelector role=b, tolerates dedicated=infra)" "${k[@]}" run tolerant --image=busybox --restart=Never \
  --overrides="$(spec tolerant "" b '"tolerations":[{"key":"dedicated","operator":"Equal","value":"infra","effect":"NoSchedule"}]')"
expect_eventually "tolerant is bound to the tainted node $b" "^$b\$" bash -c "$(node_of tolerant)"
expect_output "intolerant is still unbound" '^$' bash -c "$(node_of intolerant)"

expect_success "kubectl run big (cpu 5, more than any node)" "${k[@]}" run big --image=busybox --restart=Never --overrides="$(spec big 5)"
expect_eventually "big: PodScheduled=False reason Unschedulable" '^False Unschedulable 0/[0-9]+ nodes are available:.*Insufficient cpu' \
  "${k[@]}" get pod big -o 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status} {.status.conditions[?(@.type=="PodScheduled")].reason} {.status.conditions[?(@.type=="PodScheduled")].message}'
expect_output "kubectl describe pod big shows the FailedScheduling event" 'Warning +FailedScheduling .*default-scheduler +0/[0-9]+ nodes are available: .*Insufficient cpu\. preemption: ' \
  "${k[@]}" describe pod big
expect_output "big is Pending without a node" '^Pending $' "${k[@]}" get pod big -o 'jsonpath={.status.phase} {.spec.nodeName}'

expect_success "kubectl cordon $c" kubectl cordon "$c"
expect_success "kubectl run on-c (nodeSelector role=c)" "${k[@]}" run on-c --image=busybox --restart=Never --overrides="$(spec on-c "" c)"
expect_eventually "on-c is not scheduled: node(s) were unschedulable" 'node\(s\) were unschedulable' \
  "${k[@]}" get pod on-c -o 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}'
expect_success "kubectl uncordon $c" kubectl uncordon "$c"
expect_eventually "after uncordon, on-c is bound to $c" "^$c\$" bash -c "$(node_of on-c)"

expect_success "create PriorityClass $high (1000)" kubectl create priorityclass "$high" --value=1000
expect_success "kubectl run victim (priority 0, cpu 1500m on $a)" "${k[@]}" run victim --image=busybox --restart=Never --overrides="$(spec victim 1500m a)"
expect_eventually "victim is bound to $a" "^$a\$" bash -c "$(node_of victim)"
expect_success "kubectl run preemptor (priorityClassName $high, cpu 1500m on $a)" "${k[@]}" run preemptor --image=busybox --restart=Never \
  --overrides="$(spec preemptor 1500m a "\"priorityClassName\":\"$high\"")"
expect_output "the API server resolved the class: spec.priority 1000" '^1000$' "${k[@]}" get pod preemptor -o 'jsonpath={.spec.priority}'
expect_eventually "preemptor is nominated to $a" "^$a\$" "${k[@]}" get pod preemptor -o 'jsonpath={.status.nominatedNodeName}'
expect_eventually "victim is being deleted with DisruptionTarget PreemptionByScheduler" '^deleting PreemptionByScheduler$' bash -c \
  "kubectl -n '$NS' get pod victim -o go-template='{{if .metadata.deletionTimestamp}}deleting{{end}} {{range .status.conditions}}{{if eq .type \"DisruptionTarget\"}}{{.reason}}{{end}}{{end}}'"
expect_eventually "victim has a Preempted event" 'Preempted by pod .* on node '"$a" \
  "${k[@]}" get events --field-selector involvedObject.name=victim,reason=Preempted -o 'jsonpath={.items[*].message}'
# No kubelet runs the fake node, so the victim's graceful deletion is finished by hand, as its kubelet would.
expect_success "the victim's termination completes (force delete, as a kubelet would confirm)" \
  "${k[@]}" delete pod victim --force --grace-period=0
expect_eventually "preemptor is bound to $a" "^$a\$" bash -c "$(node_of preemptor)"

# PDB-aware preemption on $c (cpu 2): "guarded" (priority 0, covered by a PDB with minAvailable 1) and "exposed"
# (priority 100) fill it; a priority-1000 pod needs cpu 1 there. Without the budget the less important "guarded"
# would be the victim; with it, "exposed" is.
expect_success "create PriorityClass $mid (100)" kubectl create priorityclass "$mid" --value=100
expect_success "kubectl run guarded (priority 0, cpu 1 on $c, app=guarded-$run)" "${k[@]}" run guarded --image=busybox --restart=Never \
  --labels="app=guarded-$run" --overrides="$(spec guarded 1 c)"
expect_success "kubectl run exposed (priority 100, cpu 1 on $c)" "${k[@]}" run exposed --image=busybox --restart=Never \
  --overrides="$(spec exposed 1 c "\"priorityClassName\":\"$mid\"")"
expect_eventually "guarded and exposed are bound to $c" "^$c $c\$" bash -c "echo \$($(node_of guarded)) \$($(node_of exposed))"
expect_success "kubectl create pdb guarded --min-available=1" "${k[@]}" create pdb guarded --selector="app=guarded-$run" --min-available=1
expect_eventually "the disruption controller allows no disruption of guarded (0 of 1 healthy)" '^1 0$' \
  "${k[@]}" get pdb guarded -o 'jsonpath={.status.expectedPods} {.status.disruptionsAllowed}'
expect_success "kubectl run urgent (priorityClassName $high, cpu 1 on $c)" "${k[@]}" run urgent --image=busybox --restart=Never \
  --overrides="$(spec urgent 1 c "\"priorityClassName\":\"$high\"")"
expect_eventually "urgent is nominated to $c" "^$c\$" "${k[@]}" get pod urgent -o 'jsonpath={.status.nominatedNodeName}'
expect_eventually "exposed, not covered by a budget, is the victim (DisruptionTarget PreemptionByScheduler)" '^deleting PreemptionByScheduler$' bash -c \
  "kubectl -n '$NS' get pod exposed -o go-template='{{if .metadata.deletionTimestamp}}deleting{{end}} {{range .status.conditions}}{{if eq .type \"DisruptionTarget\"}}{{.reason}}{{end}}{{end}}'"
expect_output "guarded is spared (no deletionTimestamp, still on $c)" "^ $c\$" "${k[@]}" get pod guarded -o 'jsonpath={.metadata.deletionTimestamp} {.spec.nodeName}'
expect_eventually "exposed has a Preempted event" 'Preempted by pod .* on node '"$c" \
  "${k[@]}" get events --field-selector involvedObject.name=exposed,reason=Preempted -o 'jsonpath={.items[*].message}'
expect_success "exposed's termination completes (force delete, as a kubelet would confirm)" "${k[@]}" delete pod exposed --force --grace-period=0
expect_eventually "urgent is bound to $c" "^$c\$" bash -c "$(node_of urgent)"
