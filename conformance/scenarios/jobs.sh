#!/usr/bin/env bash
# The Job, CronJob and TTL-after-finished controllers, observed through stock kubectl. No kubelet runs pods yet,
# so pods are "run" by writing their status as a kubelet would (phase, container exit codes).
#   - Job: pods from the template (labels, controller ownerReference, tracking finalizer), completion by status
#     patches (kubectl wait --for=condition=complete), Indexed pods, backoffLimit and podFailurePolicy failures,
#     suspend/resume, ttlSecondsAfterFinished;
#   - CronJob: a */1 schedule creates <cronjob>-<minutes since epoch> Jobs, `create job --from=cronjob/...`, suspend.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

# Suspended from the start, and created before tick: once tick has started a Job, a start of parked has passed too.
mkdir -p "$WORK/manifests"
cat >"$WORK/manifests/parked.yaml" <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata: {name: parked}
spec:
  schedule: "*/1 * * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox, command: ["true"]}]
YAML
expect_success "kubectl create -f a suspended CronJob parked" "${k[@]}" create -f "$WORK/manifests/parked.yaml"
expect_output "parked is suspended" '^true$' "${k[@]}" get cronjob parked -o 'jsonpath={.spec.suspend}'
# Started early: its first scheduled start comes at the next minute boundary, while the Job checks run.
expect_success "kubectl create cronjob tick --schedule='*/1 * * * *'" \
  "${k[@]}" create cronjob tick --image=busybox --schedule='*/1 * * * *' -- sh -c 'exit 0'

# Marks every pod of a Job that has not finished as Succeeded (or, with an exit code, Failed), as a kubelet would.
finish() { # job phase [exit-code]
  local pods patch
  patch="{\"status\":{\"phase\":\"$2\"}}"
  if [[ -n ${3:-} ]]; then
    patch="{\"status\":{\"phase\":\"$2\",\"containerStatuses\":[{\"name\":\"main\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":false,\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":$3}}}]}}"
  fi
  pods=$(kubectl -n "$NS" get pods -l "batch.kubernetes.io/job-name=$1" -o go-template='{{range .items}}{{if not (or (eq .status.phase "Succeeded") (eq .status.phase "Failed"))}}{{.metadata.name}} {{end}}{{end}}')
  for p in $pods; do
    kubectl -n "$NS" patch pod "$p" --subresource=status --type=merge -p "$patch" >/dev/null || return 1
  done
  echo "finished: $pods"
}
export -f finish
export NS

expect_success "kubectl create job pi" "${k[@]}" create job pi --image=busybox -- sh -c 'exit 0'
expect_eventually "the Job's pod carries job-name and controller-uid labels" '^pi-[a-z0-9]{5} pi pi [0-9a-f-]{36}$' \
  "${k[@]}" get pods -l job-name=pi -o go-template='{{range .items}}{{.metadata.name}} {{index .metadata.labels "job-name"}} {{index .metadata.labels "batch.kubernetes.io/job-name"}} {{index .metadata.labels "batch.kubernetes.io/controller-uid"}}{{end}}'
expect_output "the pod is controlled by Job pi and holds the tracking finalizer" '^Job/pi true true batch.kubernetes.io/job-tracking$' \
  "${k[@]}" get pods -l job-name=pi -o go-template='{{range .items}}{{range .metadata.ownerReferences}}{{.kind}}/{{.name}} {{.controller}} {{.blockOwnerDeletion}}{{end}} {{range .metadata.finalizers}}{{.}}{{end}}{{end}}'
expect_eventually "status.active is 1" '^1$' "${k[@]}" get job pi -o 'jsonpath={.status.active}'
expect_success "the pod succeeds (status patch)" bash -c 'finish pi Succeeded'
expect_success "kubectl wait --for=condition=complete job/pi" "${k[@]}" wait --for=condition=complete job/pi --timeout=25s
expect_output "status: succeeded 1, active 0, completionTime set" '^1 0 20[0-9-]+T' \
  "${k[@]}" get job pi -o 'jsonpath={.status.succeeded} {.status.active} {.status.completionTime}'
expect_eventually "the finished pod lost the tracking finalizer" '^pi-[a-z0-9]{5}:$' \
  "${k[@]}" get pods -l job-name=pi -o go-template='{{range .items}}{{.metadata.name}}:{{range .metadata.finalizers}}{{.}}{{end}}{{end}}'
expect_eventually "events SuccessfulCreate and Completed" 'SuccessfulCreate.*Completed|Completed.*SuccessfulCreate' \
  bash -c "kubectl -n '$NS' get events --field-selector involvedObject.name=pi -o jsonpath='{.items[*].reason}'"

cat >"$WORK/manifests/jobs.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: indexed}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: ["true"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: doomed}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: ["false"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: policy}
spec:
  completions: 2
  parallelism: 2
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: ["false"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: paused}
spec:
  suspend: true
  completions: 2
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: ["true"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: shortlived}
spec:
  ttlSecondsAfterFinished: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: ["true"]}]
YAML
expect_success "kubectl apply -f five Jobs (indexed, doomed, policy, paused, shortlived)" "${k[@]}" apply -f "$WORK/manifests/jobs.yaml"

expect_eventually "Indexed pods carry their index (annotation, label, hostname)" '^(indexed-([0-2])-[a-z0-9]{5}=\2=\2=indexed-\2 ){3}$' \
  "${k[@]}" get pods -l job-name=indexed -o go-template='{{range .items}}{{.metadata.name}}={{index .metadata.annotations "batch.kubernetes.io/job-completion-index"}}={{index .metadata.labels "batch.kubernetes.io/job-completion-index"}}={{.spec.hostname}} {{end}}'
expect_success "the indexed pods succeed" bash -c 'finish indexed Succeeded'
expect_success "kubectl wait --for=condition=complete job/indexed" "${k[@]}" wait --for=condition=complete job/indexed --timeout=25s
expect_output "status.completedIndexes is 0-2" '^0-2 3$' "${k[@]}" get job indexed -o 'jsonpath={.status.completedIndexes} {.status.succeeded}'

expect_eventually "Job doomed has a pod" 'doomed-' "${k[@]}" get pods -l job-name=doomed -o name
expect_success "its pod fails with exit code 1" bash -c 'finish doomed Failed 1'
expect_success "kubectl wait --for=condition=failed job/doomed" "${k[@]}" wait --for=condition=failed job/doomed --timeout=25s
expect_output "Failed with reason BackoffLimitExceeded; status.failed 1" '^BackoffLimitExceeded 1$' \
  "${k[@]}" get job doomed -o 'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.failed}'
expect_eventually "a BackoffLimitExceeded warning event" 'Warning BackoffLimitExceeded Job has reached the specified backoff limit' \
  bash -c "kubectl -n '$NS' get events --field-selector involvedObject.name=doomed -o jsonpath='{range .items[*]}{.type} {.reason} {.message}{\"\n\"}{end}'"

expect_eventually "Job policy has two pods" '^2$' bash -c "kubectl -n '$NS' get pods -l job-name=policy -o name | wc -l"
first=$(kubectl -n "$NS" get pods -l job-name=policy -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)
expect_success "one pod fails with exit code 42" kubectl -n "$NS" patch pod "$first" --subresource=status --type=merge \
  -p '{"status":{"phase":"Failed","containerStatuses":[{"name":"main","image":"busybox","imageID":"","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":42}}}]}}'
expect_success "kubectl wait --for=condition=failed job/policy" "${k[@]}" wait --for=condition=failed job/policy --timeout=25s
expect_output "the FailJob rule decided: reason PodFailurePolicy" "^PodFailurePolicy Container main for pod $NS/$first failed with exit code 42 matching FailJob rule at index 0$" \
  "${k[@]}" get job policy -o 'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.conditions[?(@.type=="Failed")].message}'

expect_eventually "suspended Job paused: condition Suspended=True, no pods" '^True 0$' \
  bash -c "echo \$(kubectl -n '$NS' get job paused -o 'jsonpath={.status.conditions[?(@.type==\"Suspended\")].status}') \$(kubectl -n '$NS' get pods -l job-name=paused -o name | wc -l)"
expect_success "resume Job paused" "${k[@]}" patch job paused --type=merge -p '{"spec":{"suspend":false}}'
expect_eventually "resumed: 2 pods and Suspended=False" '^False 2$' \
  bash -c "echo \$(kubectl -n '$NS' get job paused -o 'jsonpath={.status.conditions[?(@.type==\"Suspended\")].status}') \$(kubectl -n '$NS' get pods -l job-name=paused -o name | wc -l)"
expect_success "suspend it again" "${k[@]}" patch job paused --type=merge -p '{"spec":{"suspend":true}}'
expect_eventually "suspending deletes its active pods" '^0 0$' \
  bash -c "echo \$(kubectl -n '$NS' get pods -l job-name=paused -o name | wc -l) \$(kubectl -n '$NS' get job paused -o 'jsonpath={.status.active}')"

expect_eventually "Job shortlived has a pod" 'shortlived-' "${k[@]}" get pods -l job-name=shortlived -o name
expect_success "its pod succeeds" bash -c 'finish shortlived Succeeded'
expect_eventually "ttlSecondsAfterFinished: 0 deletes the finished Job" '^gone$' \
  bash -c "kubectl -n '$NS' get job shortlived -o name 2>/dev/null || echo gone"

expect_success "kubectl create job manual --from=cronjob/tick" "${k[@]}" create job manual --from=cronjob/tick
expect_output "Job manual is owned by CronJob tick" '^CronJob/tick$' \
  "${k[@]}" get job manual -o go-template='{{range .metadata.ownerReferences}}{{.kind}}/{{.name}}{{end}}'
expect_eventually "Job manual gets a pod" 'manual-' "${k[@]}" get pods -l job-name=manual -o name

K8SS_STEP_TIMEOUT=75 expect_eventually "CronJob tick starts a Job named tick-<minutes since epoch>" '^tick-[0-9]{8,}$' \
  "${k[@]}" get cronjob tick -o 'jsonpath={.status.active[0].name}'
scheduled=$(kubectl -n "$NS" get cronjob tick -o 'jsonpath={.status.active[0].name}' 2>/dev/null)
expect_output "its scheduled-timestamp annotation is that minute (lastScheduleTime too)" '^(.+) \1$' bash -c "
  echo \$(kubectl -n '$NS' get job '$scheduled' -o 'jsonpath={.metadata.annotations.batch\.kubernetes\.io/cronjob-scheduled-timestamp}') \
       \$(kubectl -n '$NS' get cronjob tick -o 'jsonpath={.status.lastScheduleTime}')"
expect_output "the name encodes the minute of lastScheduleTime" '^ok$' bash -c "
  t=\$(kubectl -n '$NS' get cronjob tick -o 'jsonpath={.status.lastScheduleTime}'); [[ '$scheduled' == tick-\$((\$(date -d \"\$t\" +%s) / 60)) ]] && echo ok"
expect_no_output "suspended CronJob parked started nothing" '.' \
  bash -c "kubectl -n '$NS' get jobs -o go-template='{{range .items}}{{range .metadata.ownerReferences}}{{if eq .name \"parked\"}}{{.name}}{{end}}{{end}}{{end}}'; kubectl -n '$NS' get cronjob parked -o 'jsonpath={.status.lastScheduleTime}'"
expect_success "suspend cronjob tick" "${k[@]}" patch cronjob tick --type=merge -p '{"spec":{"suspend":true}}'
expect_output "kubectl get cronjob shows it suspended" 'tick +\*/1 \* \* \* \* +<none> +True' "${k[@]}" get cronjob tick

expect_success "delete the Jobs and CronJobs" "${k[@]}" delete jobs,cronjobs --all --wait=false
