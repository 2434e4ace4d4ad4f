#!/usr/bin/env bash
# The Deployment and ReplicationController controllers, observed through stock kubectl:
#   - a Deployment gets a ReplicaSet <name>-<pod-template-hash> it controls, sized by spec.replicas;
#   - scale, set image (a new ReplicaSet and revision), rollout history/undo/pause/resume/restart/status;
#   - revisionHistoryLimit cleanup, the Recreate strategy;
#   - a ReplicationController keeps its pods like a ReplicaSet.
# No kubelet runs pods yet, so the scenario marks pods Ready itself by writing their status, as a kubelet would.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

# Marks every live pod with label app=$1 Running and Ready (what a kubelet reports once containers run).
ready_pods() {
  printf '%s' "for p in \$(kubectl -n '$NS' get pods -l app=$1 -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{end}}{{end}}'); do
    kubectl -n '$NS' patch pod \$p --subresource=status --type=merge \
      -p '{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}' >/dev/null 2>&1 || true
  done"
}
# One-shot rollout status after readying the pods; retried by expect_eventually until the rollout completes.
rolled_out() { printf '%s; kubectl -n %q rollout status deployment/%s --watch=false' "$(ready_pods "$1")" "$NS" "$1"; }
# "name=replicas" of the deployment's ReplicaSets, sorted.
rs_sizes="kubectl -n '$NS' get rs -l app=web -o go-template='{{range .items}}{{.metadata.name}}={{.spec.replicas}} {{end}}'"
owners="kubectl -n '$NS' get pods -l app=web -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .metadata.ownerReferences}}{{if .controller}}{{.kind}} {{end}}{{end}}{{end}}{{end}}'"

expect_success "kubectl create deployment web --replicas=2" \
  "${k[@]}" create deployment web --image=busybox:1.35 --replicas=2 -- sleep 3600
expect_eventually "a ReplicaSet web-<pod-template-hash> with 2 replicas appears" '^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}=2 $' bash -c "$rs_sizes"
expect_output "the ReplicaSet is controlled by the Deployment (blockOwnerDeletion)" '^Deployment/web true true$' \
  "${k[@]}" get rs -l app=web -o 'jsonpath={.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} {.items[0].metadata.ownerReferences[0].controller} {.items[0].metadata.ownerReferences[0].blockOwnerDeletion}'
expect_output "its selector and template carry the pod-template-hash label" '^([a-z0-9]+) \1 \1$' bash -c \
  "kubectl -n '$NS' get rs -l app=web -o 'jsonpath={.items[0].metadata.labels.pod-template-hash} {.items[0].spec.selector.matchLabels.pod-template-hash} {.items[0].spec.template.metadata.labels.pod-template-hash}'"
expect_eventually "2 pods of the ReplicaSet appear" '^ReplicaSet ReplicaSet $' bash -c "$owners"
expect_output "revision 1 on the Deployment" '^1$' "${k[@]}" get deployment web -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}'
expect_eventually "rollout status succeeds once the pods are ready" 'successfully rolled out' bash -c "$(rolled_out web)"
expect_eventually "status: 2 replicas, all updated, ready and available; Available=True" '^2 2 2 2 True NewReplicaSetAvailable$' \
  "${k[@]}" get deployment web -o 'jsonpath={.status.replicas} {.status.updatedReplicas} {.status.readyReplicas} {.status.availableReplicas} {.status.conditions[?(@.type=="Available")].status} {.status.conditions[?(@.type=="Progressing")].reason}'

expect_success "kubectl scale deployment web --replicas=3" "${k[@]}" scale deployment web --replicas=3
expect_eventually "the ReplicaSet follows to 3" '^web-[a-z0-9]+=3 $' bash -c "$rs_sizes"
expect_eventually "rollout status succeeds at 3" 'successfully rolled out' bash -c "$(rolled_out web)"

expect_success "kubectl set image deployment/web busybox=busybox:1.36" "${k[@]}" set image deployment/web busybox=busybox:1.36
expect_eventually "a second ReplicaSet appears" '^(web-[a-z0-9]+=[0-9]+ ){2}$' bash -c "$rs_sizes"
expect_eventually "the rollout completes as pods become ready" 'successfully rolled out' bash -c "$(rolled_out web)"
expect_eventually "the old ReplicaSet is scaled to 0, the new one to 3" '^[03] [03] $' bash -c \
  "kubectl -n '$NS' get rs -l app=web -o go-template='{{range .items}}{{.spec.replicas}} {{end}}'"
expect_output "rollout history lists revisions 1 and 2" '1 +<none> +2 +<none>' \
  bash -c "kubectl -n '$NS' rollout history deployment/web | tr '\n' ' '"
expect_eventually "ScalingReplicaSet events are recorded" 'Scaled (up|down) replica set web-' \
  "${k[@]}" get events --field-selector involvedObject.kind=Deployment,reason=ScalingReplicaSet -o 'jsonpath={.items[*].message}'

expect_success "kubectl rollout undo deployment/web" "${k[@]}" rollout undo deployment/web
expect_eventually "the first ReplicaSet is reused under revision 3 (history 1)" '^busybox:1.35 3 1$' \
  bash -c "kubectl -n '$NS' get rs -l app=web -o go-template='{{range .items}}{{if eq (index .spec.template.spec.containers 0).image \"busybox:1.35\"}}{{(index .spec.template.spec.containers 0).image}} {{index .metadata.annotations \"deployment.kubernetes.io/revision\"}} {{index .metadata.annotations \"deployment.kubernetes.io/revision-history\"}}{{end}}{{end}}'"
expect_output "still two ReplicaSets: no new one for an old template" '^(web-[a-z0-9]+=[0-9]+ ){2}$' bash -c "$rs_sizes"
expect_eventually "the undo completes" 'successfully rolled out' bash -c "$(rolled_out web)"
expect_output "rollout history lists revisions 2 and 3" '^2 3 $' bash -c \
  "kubectl -n '$NS' rollout history deployment/web | awk '/^[0-9]/ {printf \"%s \", \$1}'"

expect_success "kubectl rollout pause deployment/web" "${k[@]}" rollout pause deployment/web
expect_success "set image while paused" "${k[@]}" set image deployment/web busybox=busybox:1.37
expect_eventually "the controller saw the paused spec: Progressing=DeploymentPaused, observedGeneration current" '^paused-and-observed$' bash -c \
  "read -r reason observed generation < <(kubectl -n '$NS' get deployment web -o 'jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason} {.status.observedGeneration} {.metadata.generation}'); [[ \$reason == DeploymentPaused && \$observed == \$generation ]] && echo paused-and-observed"
expect_no_output "no ReplicaSet for busybox:1.37 while paused" 'busybox:1.37' \
  "${k[@]}" get rs -l app=web -o 'jsonpath={.items[*].spec.template.spec.containers[0].image}'
expect_success "kubectl scale while paused" "${k[@]}" scale deployment web --replicas=4
expect_eventually "scaling still applies while paused" '=4 ' bash -c "$rs_sizes"
expect_success "kubectl rollout resume deployment/web" "${k[@]}" rollout resume deployment/web
expect_eventually "resuming starts the rollout to busybox:1.37" 'busybox:1.37' \
  "${k[@]}" get rs -l app=web -o 'jsonpath={.items[*].spec.template.spec.containers[0].image}'
expect_eventually "the resumed rollout completes" 'successfully rolled out' bash -c "$(rolled_out web)"

expect_success "kubectl rollout restart deployment/web" "${k[@]}" rollout restart deployment/web
expect_eventually "a ReplicaSet with the restartedAt template annotation appears" '[0-9]{4}-[0-9]{2}-[0-9]{2}T' \
  "${k[@]}" get rs -l app=web -o 'jsonpath={.items[*].spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}'
expect_eventually "the restart completes" 'successfully rolled out' bash -c "$(rolled_out web)"

expect_success "set revisionHistoryLimit to 1" "${k[@]}" patch deployment web --type=merge -p '{"spec":{"revisionHistoryLimit":1}}'
expect_eventually "old ReplicaSets beyond the limit are deleted: 2 are left" '^(web-[a-z0-9]+=[0-9]+ ){2}$' bash -c "$rs_sizes"

# Recreate: the old ReplicaSet goes to 0 before the new one exists.
expect_success "create deployment rec (Recreate)" bash -c \
  "kubectl -n '$NS' create deployment rec --image=busybox:1.35 --replicas=2 --dry-run=client -o json -- sleep 3600 \
   | sed 's/\"strategy\": {}/\"strategy\": {\"type\": \"Recreate\"}/' | kubectl -n '$NS' create -f -"
expect_eventually "rec rolls out" 'successfully rolled out' bash -c "$(rolled_out rec)"
expect_success "set image on rec" "${k[@]}" set image deployment/rec busybox=busybox:1.36
expect_eventually "Recreate ends with the old ReplicaSet at 0 and the new one at 2" '^0 2 $|^2 0 $' bash -c \
  "kubectl -n '$NS' get rs -l app=rec -o go-template='{{range .items}}{{.spec.replicas}} {{end}}'"
expect_eventually "rec's new pods all belong to the new ReplicaSet" '^busybox:1.36 busybox:1.36 $' bash -c \
  "kubectl -n '$NS' get pods -l app=rec -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{(index .spec.containers 0).image}} {{end}}{{end}}'"

expect_success "kubectl delete deployment web" "${k[@]}" delete deployment web --wait=false
expect_eventually "the Deployment is gone" '^$' "${k[@]}" get deployment web --ignore-not-found -o name
# Removing the ReplicaSets and pods of a deleted Deployment is the garbage collector's job (being written in
# parallel); once it exists, add: the web ReplicaSets and their pods are deleted (background cascade).

mkdir -p "$WORK/manifests"
cat >"$WORK/manifests/rc.yaml" <<'YAML'
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
      - name: main
        image: busybox:1.35
        command: ["sleep", "3600"]
YAML
rc_owners="kubectl -n '$NS' get pods -l app=legacy -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .metadata.ownerReferences}}{{if .controller}}{{.kind}}/{{.name}} {{end}}{{end}}{{end}}{{end}}'"
expect_success "kubectl apply -f a ReplicationController with 2 replicas" "${k[@]}" apply -f "$WORK/manifests/rc.yaml"
expect_eventually "2 pods controlled by ReplicationController legacy" '^(ReplicationController/legacy ){2}$' bash -c "$rc_owners"
expect_success "kubectl scale rc legacy --replicas=3" "${k[@]}" scale rc legacy --replicas=3
expect_eventually "3 pods, and status.replicas 3" '^3 3$' bash -c \
  "echo \$($rc_owners | wc -w) \$(kubectl -n '$NS' get rc legacy -o jsonpath='{.status.replicas}')"
expect_eventually "readyReplicas follows the pods" '^3$' bash -c "$(ready_pods legacy); kubectl -n '$NS' get rc legacy -o jsonpath='{.status.readyReplicas}'"
expect_success "kubectl delete rc legacy" "${k[@]}" delete rc legacy --wait=false
