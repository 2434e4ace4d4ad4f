#!/usr/bin/env bash
# The controller-manager's first controllers, observed through stock kubectl:
#   - ServiceAccount controller: every namespace gets ServiceAccount "default";
#   - root CA publisher: every namespace gets ConfigMap kube-root-ca.crt holding the cluster CA;
#   - ReplicaSet controller: pods created/deleted toward spec.replicas, owned through ownerReferences,
#     orphans adopted, status.replicas kept. Pods stay Pending (no scheduler or kubelet yet).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

expect_eventually "namespace $NS gets ServiceAccount default" '^default$' \
  "${k[@]}" get serviceaccount default -o 'jsonpath={.metadata.name}'
expect_eventually "namespace $NS gets ConfigMap kube-root-ca.crt" '^kube-root-ca.crt$' \
  "${k[@]}" get configmap kube-root-ca.crt -o 'jsonpath={.metadata.name}'
expect_output "kube-root-ca.crt holds the kubeconfig's cluster CA" '^same$' bash -c "
  diff <(kubectl -n '$NS' get configmap kube-root-ca.crt -o 'jsonpath={.data.ca\.crt}') \
       <(kubectl config view --raw --minify -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}' | base64 -d) \
  && echo same"
expect_output "kube-root-ca.crt carries the upstream description" '^Contains a CA bundle' \
  "${k[@]}" get configmap kube-root-ca.crt -o 'jsonpath={.metadata.annotations.kubernetes\.io/description}'

expect_success "delete ServiceAccount default" "${k[@]}" delete serviceaccount default
expect_eventually "ServiceAccount default is recreated" '^default$' \
  "${k[@]}" get serviceaccount default -o 'jsonpath={.metadata.name}'
expect_success "edit kube-root-ca.crt" "${k[@]}" patch configmap kube-root-ca.crt --type=merge -p '{"data":{"ca.crt":"tampered"}}'
expect_eventually "kube-root-ca.crt is restored" 'BEGIN CERTIFICATE' \
  "${k[@]}" get configmap kube-root-ca.crt -o 'jsonpath={.data.ca\.crt}'
expect_success "delete kube-root-ca.crt" "${k[@]}" delete configmap kube-root-ca.crt
expect_eventually "kube-root-ca.crt is recreated" 'BEGIN CERTIFICATE' \
  "${k[@]}" get configmap kube-root-ca.crt -o 'jsonpath={.data.ca\.crt}'

mkdir -p "$WORK/manifests"
cat >"$WORK/manifests/rs.yaml" <<'YAML'
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-rs
  template:
    metadata:
      labels:
        app: web-rs
    spec:
      containers:
      - name: main
        image: busybox
        command: ["sleep", "3600"]
YAML

# The owners of the live (not terminating) pods with app=web-rs, one "Kind/name" per pod.
owners="kubectl -n '$NS' get pods -l app=web-rs -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .metadata.ownerReferences}}{{if .controller}}{{.kind}}/{{.name}} {{end}}{{end}}{{end}}{{end}}'"
names="kubectl -n '$NS' get pods -l app=web-rs -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{end}}{{end}}'"

expect_success "kubectl apply -f a ReplicaSet with 3 replicas" "${k[@]}" apply -f "$WORK/manifests/rs.yaml"
expect_eventually "3 pods controlled by ReplicaSet web appear" '^(ReplicaSet/web ){3}$' bash -c "$owners"
expect_output "the pods are named web-<suffix>" '^(web-[a-z0-9]{5} ){3}$' bash -c "$names"
expect_eventually "status.replicas is 3 and observedGeneration follows" '^3 1 1$' \
  "${k[@]}" get rs web -o 'jsonpath={.status.replicas} {.status.observedGeneration} {.metadata.generation}'

expect_success "kubectl scale rs web --replicas=1" "${k[@]}" scale rs web --replicas=1
expect_eventually "1 pod is left" '^(ReplicaSet/web ){1}$' bash -c "$owners"
expect_eventually "status.replicas is 1" '^1 2$' "${k[@]}" get rs web -o 'jsonpath={.status.replicas} {.status.observedGeneration}'

first=$(bash -c "$names" 2>/dev/null | tr -d ' ')
expect_success "delete the remaining pod ($first)" "${k[@]}" delete pod "$first" --wait=false
expect_eventually "a new pod replaces it" "^web-[a-z0-9]{5} $" bash -c "$names | grep -v '$first '"
expect_eventually "status.replicas is 1 again" '^1$' "${k[@]}" get rs web -o 'jsonpath={.status.replicas}'

expect_success "create an orphan pod matching the selector" "${k[@]}" run orphan --image=busybox --labels=app=web-rs --restart=Never
expect_eventually "the orphan is adopted and the surplus deleted: 1 live pod, owned by web" '^1 1$' \
  bash -c "echo \$($names | wc -w) \$($owners | wc -w)"

expect_success "delete the ReplicaSet" "${k[@]}" delete rs web
