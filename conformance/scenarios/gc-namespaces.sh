#!/usr/bin/env bash
# The garbage collector, the namespace controller and deletion propagation, observed through stock kubectl:
#   - kubectl delete rs (background): the ReplicaSet goes at once, the garbage collector deletes its pods;
#   - --cascade=orphan: the API server adds the orphan finalizer, the pods stay without ownerReferences;
#   - --cascade=foreground: the ReplicaSet stays (foregroundDeletion) until its pods are gone;
#   - a ConfigMap owned by another ConfigMap goes with its owner; one owned by a uid that never existed goes too;
#   - kubectl delete namespace: Terminating with the namespace controller's conditions, content removed, then gone.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

rs_manifest() { # name replicas
  cat <<YAML
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: $1
spec:
  replicas: $2
  selector:
    matchLabels:
      app: $1
  template:
    metadata:
      labels:
        app: $1
    spec:
      containers:
      - name: main
        image: busybox
        command: ["sleep", "3600"]
YAML
}
count_pods() { echo "kubectl -n '$NS' get pods -l app=$1 --no-headers 2>/dev/null | wc -l"; }

# --- background (the default cascade) ---------------------------------------------------------
rs_manifest bg 2 >"$WORK/bg.yaml"
expect_success "create ReplicaSet bg with 2 replicas" "${k[@]}" apply -f "$WORK/bg.yaml"
expect_eventually "2 pods of bg appear" '^2$' bash -c "$(count_pods bg)"
expect_success "kubectl delete rs bg" "${k[@]}" delete rs bg
expect_fail_output "ReplicaSet bg is gone" 'NotFound|not found' "${k[@]}" get rs bg
expect_eventually "the garbage collector deletes bg's pods" '^0$' bash -c "$(count_pods bg)"

# --- orphan -----------------------------------------------------------------------------------
rs_manifest orph 2 >"$WORK/orph.yaml"
expect_success "create ReplicaSet orph with 2 replicas" "${k[@]}" apply -f "$WORK/orph.yaml"
expect_eventually "2 pods of orph appear" '^2$' bash -c "$(count_pods orph)"
expect_success "kubectl delete rs orph --cascade=orphan" "${k[@]}" delete rs orph --cascade=orphan
expect_eventually "ReplicaSet orph is gone" 'NotFound|not found' bash -c "kubectl -n '$NS' get rs orph 2>&1; true"
expect_output "orph's 2 pods stay" '^2$' bash -c "$(count_pods orph)"
expect_eventually "orph's pods have no ownerReferences left" '^none none $' \
  "${k[@]}" get pods -l app=orph -o go-template='{{range .items}}{{if .metadata.ownerReferences}}owned {{else}}none {{end}}{{end}}'

# --- foreground -------------------------------------------------------------------------------
rs_manifest fg 2 >"$WORK/fg.yaml"
expect_success "create ReplicaSet fg with 2 replicas" "${k[@]}" apply -f "$WORK/fg.yaml"
expect_eventually "2 pods of fg appear" '^2$' bash -c "$(count_pods fg)"
expect_success "hold one pod of fg with a finalizer" bash -c \
  "kubectl -n '$NS' patch \$(kubectl -n '$NS' get pods -l app=fg -o name | head -1) --type=merge -p '{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}'"
expect_success "kubectl delete rs fg --cascade=foreground --wait=false" "${k[@]}" delete rs fg --cascade=foreground --wait=false
expect_output "ReplicaSet fg stays with the foregroundDeletion finalizer" 'foregroundDeletion' \
  "${k[@]}" get rs fg -o 'jsonpath={.metadata.finalizers}'
expect_eventually "fg's free pod is deleted, the held one is terminating" '^1 1$' bash -c \
  "echo \$($(count_pods fg)) \$(kubectl -n '$NS' get pods -l app=fg -o go-template='{{range .items}}{{if .metadata.deletionTimestamp}}x{{end}}{{end}}' | wc -c)"
expect_output "ReplicaSet fg is still there while a pod remains" '^fg$' "${k[@]}" get rs fg -o 'jsonpath={.metadata.name}'
expect_success "release the held pod" bash -c \
  "kubectl -n '$NS' patch \$(kubectl -n '$NS' get pods -l app=fg -o name | head -1) --type=merge -p '{\"metadata\":{\"finalizers\":null}}'"
expect_eventually "then ReplicaSet fg goes" 'NotFound|not found' bash -c "kubectl -n '$NS' get rs fg 2>&1; true"
expect_output "and no pod of fg is left" '^0$' bash -c "$(count_pods fg)"

# --- ownerReferences between ConfigMaps -------------------------------------------------------
expect_success "create ConfigMap owner" "${k[@]}" create configmap owner --from-literal=a=b
owner_uid=$("${k[@]}" get configmap owner -o 'jsonpath={.metadata.uid}' 2>/dev/null)
cat >"$WORK/dependent.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: dependent
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: owner
    uid: $owner_uid
data:
  c: d
YAML
expect_success "create ConfigMap dependent owned by owner" "${k[@]}" apply -f "$WORK/dependent.yaml"
expect_success "the dependent survives while its owner exists" "${k[@]}" get configmap dependent
expect_success "delete ConfigMap owner" "${k[@]}" delete configmap owner
expect_eventually "the dependent ConfigMap goes with its owner" 'NotFound|not found' bash -c "kubectl -n '$NS' get configmap dependent 2>&1; true"
sed "s/uid: .*/uid: 00000000-0000-0000-0000-000000000000/; s/name: dependent/name: dangling/" "$WORK/dependent.yaml" >"$WORK/dangling.yaml"
expect_success "create ConfigMap dangling, owned by a uid that does not exist" "${k[@]}" apply -f "$WORK/dangling.yaml"
expect_eventually "a dependent of an absent owner is collected" 'NotFound|not found' bash -c "kubectl -n '$NS' get configmap dangling 2>&1; true"

# --- namespace deletion -----------------------------------------------------------------------
victim=$NS-gone
expect_output "create namespace $victim" "namespace/$victim created" kubectl create namespace "$victim"
expect_output "a new namespace has spec.finalizers [kubernetes]" '^\["kubernetes"\]$' kubectl get namespace "$victim" -o 'jsonpath={.spec.finalizers}'
expect_success "create content in $victim" kubectl -n "$victim" create configmap content --from-literal=a=b
rs_manifest web 2 >"$WORK/web.yaml"
expect_success "create a ReplicaSet in $victim" kubectl -n "$victim" apply -f "$WORK/web.yaml"
expect_eventually "its pods appear" '^2$' bash -c "kubectl -n '$victim' get pods --no-headers 2>/dev/null | wc -l"
expect_success "hold ConfigMap content with a finalizer" kubectl -n "$victim" patch configmap content --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'
expect_success "kubectl delete namespace $victim --wait=false" kubectl delete namespace "$victim" --wait=false
expect_output "the namespace is Terminating" '^Terminating$' kubectl get namespace "$victim" -o 'jsonpath={.status.phase}'
expect_fail_output "creating in a Terminating namespace is Forbidden" 'forbidden|Forbidden' \
  kubectl -n "$victim" create configmap late --from-literal=a=b
expect_eventually "the namespace reports the content that remains" 'NamespaceContentRemaining=True.*SomeResourcesRemain' \
  kubectl get namespace "$victim" -o 'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}{"\n"}{end}'
expect_eventually "and the finalizer that holds it" 'NamespaceFinalizersRemaining=True SomeFinalizerRemain: .*example.com/hold in 1 resource instances' \
  kubectl get namespace "$victim" -o 'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
expect_eventually "the pods and the ReplicaSet are gone" '^0 0$' bash -c \
  "echo \$(kubectl -n '$victim' get pods --no-headers 2>/dev/null | wc -l) \$(kubectl -n '$victim' get rs --no-headers 2>/dev/null | wc -l)"
expect_success "release the held ConfigMap" kubectl -n "$victim" patch configmap content --type=merge -p '{"metadata":{"finalizers":null}}'
expect_eventually "the namespace is gone" 'NotFound|not found' bash -c "kubectl get namespace '$victim' 2>&1; true"
expect_output "its content is gone" '^$' bash -c "kubectl -n '$victim' get configmaps,pods,replicasets -o name 2>/dev/null"
