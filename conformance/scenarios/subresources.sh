#!/usr/bin/env bash
# Subresources and reviews kubectl uses: scale (merge patch and the --current-replicas PUT), binding,
# patch types, auth can-i / whoami (protobuf bodies, never stored).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

expect_success "create deployment web" kubectl -n "$NS" create deployment web --image=busybox
expect_output "scale deployment to 3" 'deployment.apps/web scaled' kubectl -n "$NS" scale deploy web --replicas=3
expect_output "spec.replicas is 3" '^3$' kubectl -n "$NS" get deploy web -o 'jsonpath={.spec.replicas}'
expect_output "scale subresource shows the selector" '"selector":"app=web"' \
  kubectl get --raw "/apis/apps/v1/namespaces/$NS/deployments/web/scale"
expect_success "scale with a matching --current-replicas" kubectl -n "$NS" scale deploy web --current-replicas=3 --replicas=5
expect_fail_output "scale with a stale --current-replicas is refused" 'Expected replicas to be 3, was 5' \
  kubectl -n "$NS" scale deploy web --current-replicas=3 --replicas=6
expect_output "generation counts spec changes" '^3$' kubectl -n "$NS" get deploy web -o 'jsonpath={.metadata.generation}'

expect_success "label (merge patch)" kubectl -n "$NS" label deploy web tier=frontend
expect_output "label is stored" 'tier=frontend' kubectl -n "$NS" get deploy web --show-labels
expect_success "set image (strategic merge patch)" kubectl -n "$NS" set image deploy/web busybox=busybox:1.36
expect_output "image updated" '^busybox:1.36$' kubectl -n "$NS" get deploy web -o 'jsonpath={.spec.template.spec.containers[0].image}'
expect_success "json patch" kubectl -n "$NS" patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":2}]'
expect_output "json patch applied" '^2$' kubectl -n "$NS" get deploy web -o 'jsonpath={.spec.replicas}'
expect_fail_output "a json patch that does not apply changes nothing" 'Invalid|missing' \
  kubectl -n "$NS" patch deploy web --type=json -p '[{"op":"remove","path":"/spec/nothing"}]'

# A scheduler name nobody serves keeps the real scheduler away, so the binding below is the only one.
expect_success "run a pod" kubectl -n "$NS" run p1 --image=busybox --overrides='{"spec":{"schedulerName":"k8ss-manual"}}'
cat > "$WORK/binding.json" <<JSON
{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p1"},"target":{"kind":"Node","name":"node-1"}}
JSON
expect_output "bind the pod to a node" '"status":"Success"' \
  kubectl create --raw "/api/v1/namespaces/$NS/pods/p1/binding" -f "$WORK/binding.json"
expect_output "the pod is on node-1" '^node-1$' kubectl -n "$NS" get pod p1 -o 'jsonpath={.spec.nodeName}'
expect_fail_output "a second binding conflicts" 'already assigned' \
  kubectl create --raw "/api/v1/namespaces/$NS/pods/p1/binding" -f "$WORK/binding.json"

expect_output "auth can-i" '^yes$' kubectl auth can-i create deployments -n "$NS"
expect_output "auth whoami" 'kubernetes-admin' kubectl auth whoami
expect_output "auth can-i --list" '\*\.\*' kubectl auth can-i --list -n "$NS"
